package io.calsync.oauth.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTests {

  @Test
  void shouldComputeTheS256ChallengeOfRfc7636AppendixB() {
    assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void shouldMakeUnpredictableUrlSafeTokens() {
    String first = Pkce.randomToken();
    String second = Pkce.randomToken();

    assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(second);
  }

  @Test
  void shouldStoreOnlyAHashOfTheState() {
    assertThat(Pkce.hashState("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
