package io.calsync.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The part of a request named from the messages of Spring Security 7's strict firewall. */
class FirewallRejectionsTests {

  @Test
  void shouldNameAHeaderWhoseValueIsRefused() {
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the header: \"X-Goog-Channel-ID \" has a value"
                    + " \"\u0085\" that is not allowed."))
        .isEqualTo("X-Goog-Channel-ID");
  }

  @Test
  void shouldNameAQueryParameterWhoseValueIsRefused() {
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the parameter: \"limit\" has a value \"\u0000\""
                    + " that is not allowed."))
        .isEqualTo("limit");
  }

  @Test
  void shouldNameTheKindWhenTheNameItselfIsRefused() {
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the parameter name \"\u0000\" is not allowed."))
        .isEqualTo("query");
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the header name \"\u0085\" is not allowed."))
        .isEqualTo("header");
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the header: \"\u0085 \" has a value \"x\" that"
                    + " is not allowed."))
        .isEqualTo("header");
  }

  @Test
  void shouldNameThePathForEverythingElse() {
    assertThat(
            FirewallRejections.parameterOf(
                "The request was rejected because the URL contained a potentially malicious"
                    + " String \"//\""))
        .isEqualTo("path");
    assertThat(FirewallRejections.parameterOf(null)).isEqualTo("path");
  }

  @Test
  void shouldTellAMethodRefusal() {
    assertThat(
            FirewallRejections.isMethod(
                "The request was rejected because the HTTP method \"TRACE\" was not included"
                    + " within the list of allowed HTTP methods [GET]"))
        .isTrue();
    assertThat(FirewallRejections.isMethod("The request was rejected because the URL was not"))
        .isFalse();
  }
}
