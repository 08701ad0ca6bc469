package io.calsync.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The calls BlockHound may see on an event loop in this platform's services, each with its reason;
 * everything else it reports fails the test. Loaded through {@code ServiceLoader} when {@code
 * blockhound-junit-platform} installs BlockHound.
 */
public final class PlatformBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // SecureRandom (UUID.randomUUID, PKCE verifiers, AES-GCM nonces) refills its buffer from
    // /dev/urandom, a file read that never waits once the kernel's pool is initialised at boot.
    builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
    // Spring Security's JWT decoder (issuer-location discovery) initialises this class lazily on
    // the
    // first token it checks, on an event loop: its static RestTemplate finds Jackson modules
    // through
    // ServiceLoader, reading jar files once per JVM. Reported upstream behaviour; nothing of ours.
    builder.allowBlockingCallsInside(
        "org.springframework.security.oauth2.jwt.JwtDecoderProviderConfigurationUtils", "<clinit>");
  }
}
