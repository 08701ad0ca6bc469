package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs last, over everything the system tests before it made the services do: no service logs an
 * e-mail address, a token or event text, at any level. User ids (the token's {@code sub}) are
 * pseudonymous and may be logged.
 */
@Order(100)
@ExtendWith(SystemStack.class)
class PersonalDataInLogsSystemTests {

  private static final Logger log = LoggerFactory.getLogger(PersonalDataInLogsSystemTests.class);

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");

  @Test
  void noServiceLogsPersonalDataOrSecrets() throws Exception {
    List<String> forbidden = new ArrayList<>(SystemClient.SECRETS);
    // Google token prefixes, and the event text of the demo calendar and of the emulator's seeded
    // ones
    forbidden.addAll(List.of("ya29.", "1//", "Team sync", "Weekly planning", "Company offsite"));
    for (String title :
        List.of(
            "Standup",
            "1:1",
            "Planning",
            "Design review",
            "Lunch",
            "Dentist",
            "Gym",
            "Retro",
            "Customer call",
            "Interview",
            "Focus time",
            "Demo",
            "Coffee chat",
            "Board meeting",
            "Yoga",
            "Sprint review",
            "Workshop")) {
      forbidden.add(title + " #");
    }
    int lines = 0;
    for (String service :
        List.of("gateway", "oauth-service", "sync-service", "events-query-service")) {
      Path file = settings().workDirectory().resolve("logs").resolve(service + ".log");
      for (String line : Files.readAllLines(file)) {
        lines++;
        assertThat(EMAIL.matcher(line).find())
            .as("e-mail address in %s: %s", service, line)
            .isFalse();
        assertThat(JWT.matcher(line).find()).as("JWT in %s: %s", service, line).isFalse();
        for (String secret : forbidden) {
          assertThat(line)
              .as("%s logged a secret or personal data", service)
              .doesNotContain(secret);
        }
      }
    }
    log.info(
        "Scanned {} log lines of the four services against {} tokens and texts: no e-mail, token or event text",
        lines,
        forbidden.size());
    assertThat(lines).isGreaterThan(100);
    assertThat(SystemClient.SECRETS).hasSizeGreaterThan(5);
  }
}
