package io.calsync.localstack;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The web client in Debian's Chromium, driven by Playwright as a new user would: sign in at the
 * development issuer, connect at the emulator's consent page (allow, deny, untick the calendar
 * scope), see events, watch a change made at Google arrive without a reload, deselect a calendar,
 * disconnect with confirmation, at a desktop and a phone viewport. Every page is photographed under
 * {@code target/screenshots/}, scanned with axe-core (no serious or critical violation), and no
 * page of the web client logs a console error. One browser for the class, a context per test.
 */
@Order(25)
@ExtendWith(SystemStack.class)
class WebClientBrowserSystemTests {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  static final Path SCREENSHOTS = Path.of("target/screenshots");

  static final String CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar.readonly";

  private static Playwright playwright;

  private static Browser browser;

  private static String axeSource;

  enum Viewport {
    DESKTOP(1280, 800, false),
    PHONE(390, 844, true);

    final int width;
    final int height;
    final boolean mobile;

    Viewport(int width, int height, boolean mobile) {
      this.width = width;
      this.height = height;
      this.mobile = mobile;
    }
  }

  @BeforeAll
  static void launchChromium() throws IOException {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "no Chromium at "
            + CHROMIUM
            + " (Debian package chromium; .ci/run installs it): the browser tests are skipped");
    axeSource = axeCore();
    Files.createDirectories(SCREENSHOTS);
    playwright = Playwright.create();
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync")));
    PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
  }

  @AfterAll
  static void closeChromium() {
    if (playwright != null) {
      playwright.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Viewport.class)
  void aNewUserSignsInConnectsSeesChangesLiveDeselectsACalendarAndDisconnects(Viewport viewport)
      throws Exception {
    try (Session session = new Session(viewport)) {
      Page page = session.page;
      String account = newGoogleAccount();

      // the first list is held back: the card says it is loading instead of staying blank
      AtomicReference<Route> heldList = new AtomicReference<>();
      session.context.route(
          url -> url.contains("/api/calendar/events/upcoming/"),
          heldList::set,
          new BrowserContext.RouteOptions().setTimes(1));
      session.signIn("walker-" + UUID.randomUUID());
      assertThat(page.locator("#loading")).isVisible();
      assertThat(page.locator("#loading")).hasText("Loading your events…");
      session.shot("dashboard-loading");
      heldList.get().resume();
      assertThat(page.locator("#empty")).containsText("No calendar connected yet");
      assertThat(page.locator("#loading")).isHidden();
      session.shot("dashboard-no-connection");
      // the header is one line at every viewport: nothing in it wraps
      Assertions.assertThat(page.locator("header.top").boundingBox().height)
          .as("header height")
          .isLessThan(64);
      // and the signed-in user's name keeps room in it (on a phone it had none left)
      Assertions.assertThat(page.locator("header.top .who").boundingBox().width)
          .as("width of the user's name")
          .isGreaterThan(40);
      session.axe("dashboard without a connection");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true))
          .first()
          .click();
      assertThat(page.locator("#no-connections")).isVisible();
      session.shot("settings-no-connection");
      session.axe("settings without a connection");

      session.consent(account, true, true);
      assertThat(page.locator("#banner")).hasAttribute("role", "status");
      assertThat(page.locator("#banner")).containsText("Google Calendar connected");
      session.markPage();
      // the account's row lists its calendars from the event stream once the first sync lists
      // them, and says when it last synced, no reload
      assertThat(page.locator("#accounts input[type=checkbox]").first()).isChecked();
      Locator row = page.locator("#accounts > li.account");
      assertThat(row).hasCount(1);
      assertThat(row.locator(".title")).hasText(account);
      assertThat(row.locator(".status")).containsText("active");
      assertThat(row.locator(".status")).containsText("Last synced");
      session.assertNotReloaded();
      // a calendar's row is at most two lines, also on a phone, not a squeezed block
      Assertions.assertThat(row.locator("li.calendar").first().boundingBox().height)
          .as("calendar row height")
          .isLessThan(60);
      session.shot("settings-connected");
      session.axe("settings with a connection");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Upcoming")).click();
      assertThat(page.locator("#events li.event").first()).isVisible();
      assertThat(page.locator("#live")).hasText("live");
      session.shot("dashboard-events");
      session.axe("dashboard with events");

      // a change at Google arrives by push and the event stream: no reload, no click; the rows
      // already drawn stay, and the live region says only what changed
      session.markPage();
      page.evaluate("() => document.querySelector('#events li.event').dataset.kept = 'yes'");
      String title = "Pushed " + UUID.randomUUID();
      insertEventAtGoogle(account, title);
      assertThat(page.locator("#events")).containsText(title);
      session.assertNotReloaded();
      assertThat(page.locator("#events li.event[data-kept=yes]")).hasCount(1);
      assertThat(page.locator("#announce")).hasText("1 event added.");
      session.shot("dashboard-live-change");

      // deselecting the calendar takes its events off the dashboard
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true))
          .first()
          .click();
      Locator primary =
          page.locator("#accounts li.calendar")
              .filter(new Locator.FilterOptions().setHasText("(primary)"))
              .locator("input[type=checkbox]");
      primary.uncheck();
      assertThat(primary).isEnabled();
      assertThat(primary).not().isChecked();
      session.shot("settings-calendar-deselected");
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Upcoming")).click();
      assertThat(page.locator("#window")).isVisible();
      assertThat(page.locator("#events")).not().containsText(title);
      // the only calendar deselected: connected and synced, nothing in the window
      assertThat(page.locator("#empty")).hasText("Nothing planned in the next 7 days.");
      session.shot("dashboard-calendar-deselected");

      // disconnecting asks first
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true))
          .first()
          .click();
      AtomicReference<String> question = new AtomicReference<>();
      page.onceDialog(
          dialog -> {
            question.set(dialog.message());
            dialog.accept();
          });
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disconnect")).click();
      assertThat(page.locator("#banner")).hasAttribute("role", "status");
      assertThat(page.locator("#banner")).hasText("Disconnected " + account + ".");
      Assertions.assertThat(question.get()).startsWith("Disconnect " + account + "?");
      assertThat(page.locator("#no-connections")).isVisible();
      session.shot("settings-disconnected");
      session.axe("settings after disconnecting");
    }
  }

  /**
   * In a fixed zone (the legacy alias Chromium reports for India) and locale: a multi-day all-day
   * event on each of its days with its range, an overnight event marked, a series' instances
   * marked, today's heading, locale times; then a grant revoked at Google turns the account's row
   * to "Reconnect" without a reload, the dashboard warns with a link to settings, and consenting
   * again makes the row active.
   */
  @Test
  void theDashboardDrawsEventsRightAndARevokedAccountIsReconnectedFromItsRow() throws Exception {
    try (Session session = new Session(Viewport.DESKTOP, "Asia/Calcutta")) {
      Page page = session.page;
      String account = newGoogleAccount();
      ZoneId zone = ZoneId.of("Asia/Kolkata");
      LocalDate today = LocalDate.now(zone);
      String offsite = "Offsite " + UUID.randomUUID();
      String night = "Night shift " + UUID.randomUUID();
      String standup = "Standup " + UUID.randomUUID();
      insertGoogleEvent(
          account,
          "{\"summary\":\"%s\",\"start\":{\"date\":\"%s\"},\"end\":{\"date\":\"%s\"}}"
              .formatted(offsite, today, today.plusDays(3)));
      insertGoogleEvent(
          account,
          "{\"summary\":\"%s\",\"start\":{\"dateTime\":\"%s\"},\"end\":{\"dateTime\":\"%s\"}}"
              .formatted(
                  night,
                  today.plusDays(1).atTime(22, 0).atZone(zone).toOffsetDateTime(),
                  today.plusDays(2).atTime(1, 30).atZone(zone).toOffsetDateTime()));
      insertGoogleEvent(
          account,
          ("{\"summary\":\"%s\",\"start\":{\"dateTime\":\"%s\",\"timeZone\":\"Asia/Kolkata\"},"
                  + "\"end\":{\"dateTime\":\"%s\",\"timeZone\":\"Asia/Kolkata\"},"
                  + "\"recurrence\":[\"RRULE:FREQ=DAILY;COUNT=2\"]}")
              .formatted(
                  standup,
                  today.plusDays(2).atTime(6, 0).atZone(zone).toOffsetDateTime(),
                  today.plusDays(2).atTime(7, 0).atZone(zone).toOffsetDateTime()));

      session.signIn("details-" + UUID.randomUUID());
      page.navigate(gateway("/settings"));
      session.consent(account, true, true);
      Locator row = page.locator("#accounts > li.account");
      assertThat(row).hasAttribute("data-status", "active");
      assertThat(row.locator(".status")).containsText("Last synced");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Upcoming")).click();
      assertThat(page.locator("#window")).containsText("Times in Asia/Kolkata");
      Locator offsiteRows = page.locator("#events li.event").filter(has(offsite));
      assertThat(offsiteRows).hasCount(3);
      DateTimeFormatter shortDay = DateTimeFormatter.ofPattern("EEE, MMM d", Locale.US);
      assertThat(offsiteRows.first().locator(".when"))
          .containsText("All day · " + shortDay.format(today));
      assertThat(offsiteRows.first().locator(".when"))
          .containsText(" – " + shortDay.format(today.plusDays(2)));
      Locator todayHeading = page.locator("#events h2.day.today");
      assertThat(todayHeading).hasCount(1);
      assertThat(todayHeading).hasAttribute("aria-current", "date");
      assertThat(todayHeading).containsText("Today · ");
      Locator nightRows = page.locator("#events li.event").filter(has(night));
      assertThat(nightRows).hasCount(1);
      assertThat(nightRows.locator(".when")).hasText("10:00 PM → 1:30 AM next day");
      Locator standupRows = page.locator("#events li.event").filter(has(standup));
      assertThat(standupRows).hasCount(2);
      assertThat(standupRows.first().locator(".when")).hasText("6:00 AM – 7:00 AM");
      assertThat(standupRows.first().locator(".tag")).hasText("Repeats");
      assertThat(nightRows.locator(".tag")).hasCount(0);
      assertThat(page.locator("#synced")).containsText(account + ": last synced");
      assertThat(page.locator("#warning")).isHidden();
      session.shot("dashboard-details");
      session.axe("dashboard with multi-day, overnight and recurring events");

      // the user's colour for the calendar, chosen in settings, is the dot of its events
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true))
          .first()
          .click();
      Locator picker = row.locator("li.calendar input[type=color]").first();
      assertThat(picker).isVisible();
      Response recolored =
          page.waitForResponse(
              response ->
                  "PATCH".equals(response.request().method())
                      && response.url().contains("/api/calendar/calendars/"),
              () -> picker.fill("#8e24aa"));
      Assertions.assertThat(recolored.status()).isEqualTo(200);
      assertThat(row.locator("li.calendar .swatch").first())
          .hasCSS("background-color", "rgb(142, 36, 170)");
      session.shot("settings-colour-changed");
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Upcoming")).click();
      assertThat(page.locator("#events li.event").filter(has(night)).locator(".swatch"))
          .hasCSS("background-color", "rgb(142, 36, 170)");
      session.shot("dashboard-colour-changed");

      // the grant revoked at Google: the next sync meets it, the row asks to reconnect, no reload
      Assertions.assertThat(
              send(
                      "POST",
                      settings().emulatorUrl()
                          + "/emulator/v1/accounts/"
                          + account
                          + "/revoke-grants",
                      null,
                      "{}")
                  .statusCode())
          .isBetween(200, 299);
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true))
          .first()
          .click();
      assertThat(row).hasAttribute("data-status", "active");
      session.markPage();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sync now " + account))
          .click();
      assertThat(row).hasAttribute("data-status", "reauth_required");
      assertThat(
              row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reconnect")))
          .isVisible();
      assertThat(row.locator(".status")).containsText("revoked or has expired");
      session.assertNotReloaded();
      session.shot("settings-reconnect");
      session.axe("settings with an account to reconnect");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Upcoming")).click();
      assertThat(page.locator("#warning")).isVisible();
      assertThat(page.locator("#warning")).containsText(account + " needs reconnecting");
      session.shot("dashboard-reconnect-warning");
      session.axe("dashboard warning of an account to reconnect");
      page.locator("#warning").getByRole(AriaRole.LINK).click();
      page.waitForURL(gateway("/settings"));

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reconnect")).click();
      page.waitForURL(url -> url.startsWith(settings().emulatorUrl()));
      page.locator("input[name=email]").fill(account);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Allow")).click();
      page.waitForURL(gateway("/settings"));
      assertThat(row).hasCount(1);
      assertThat(row).hasAttribute("data-status", "active");
      assertThat(row.locator(".status")).containsText("Last synced");
      session.shot("settings-reconnected");
    }
  }

  /**
   * Keyboard alone, focus always visible (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7): the skip link first;
   * every control of the dashboard and of settings reached by Tab, each showing its focus; a
   * calendar's switch toggled with Space, "Sync now" and "Disconnect" pressed with Enter, and focus
   * still where the user was after each (a disabled control loses focus, and the rows are redrawn
   * on every status poll), then on "Connect Google Calendar" once the account's row is gone.
   */
  @Test
  void theKeyboardAloneReachesAndOperatesEveryControlWithItsFocusVisible() throws Exception {
    try (Session session = new Session(Viewport.DESKTOP)) {
      Page page = session.page;
      String account = newGoogleAccount();
      session.signIn("typist-" + UUID.randomUUID());

      page.keyboard().press("Tab");
      assertThat(page.locator(".skip-link")).isFocused();
      assertFocusVisible(page);
      session.shot("dashboard-skip-link");
      page.keyboard().press("Enter");
      assertThat(page.locator("main")).isFocused();

      tabTo(page, "a[href='/settings']");
      page.keyboard().press("Enter");
      page.waitForURL(gateway("/settings"));
      tabTo(page, "#connect");
      page.keyboard().press("Enter");
      page.waitForURL(url -> url.startsWith(settings().emulatorUrl()));
      page.locator("input[name=email]").fill(account);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Allow")).click();
      page.waitForURL(gateway("/settings"));
      Locator row = page.locator("#accounts > li.account");
      assertThat(row.locator(".status")).containsText("active");
      Locator selected = row.locator("input[role=switch]").first();
      assertThat(selected).isChecked();

      tabThroughEveryControl(page, "#accounts input[role=switch]");
      session.shot("settings-keyboard-focus");

      tabTo(page, "#accounts input[role=switch]");
      page.keyboard().press("Space");
      assertThat(selected).not().isChecked();
      assertThat(selected).isEnabled();
      assertThat(selected).isFocused();
      page.keyboard().press("Space");
      assertThat(selected).isChecked();
      assertThat(selected).isEnabled();
      assertThat(selected).isFocused();

      Locator syncNow =
          page.getByRole(
              AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sync now " + account));
      tabTo(page, "[aria-label='Sync now " + account + "']");
      page.keyboard().press("Enter");
      assertThat(page.locator("#banner")).hasText("Sync requested for 1 account.");
      assertThat(syncNow).isFocused();
      assertFocusVisible(page);

      page.onceDialog(dialog -> dialog.accept());
      tabTo(page, "[aria-label='Disconnect " + account + "']");
      page.keyboard().press("Enter");
      assertThat(page.locator("#banner")).hasText("Disconnected " + account + ".");
      assertThat(page.locator("#connect")).isFocused();
      session.axe("settings after keyboard use");

      page.navigate(gateway("/"));
      assertThat(page.locator("#empty")).containsText("No calendar connected yet");
      tabThroughEveryControl(page, "#empty");
    }
  }

  /** Every element a keyboard can reach, as the walk below names it. */
  private static final String FOCUSABLE =
      """
      () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
        .filter((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0
          && getComputedStyle(e).visibility !== 'hidden')
        .map((e) => e.dataset.key || e.id || e.getAttribute('aria-label') || e.textContent.trim())""";

  /** The focused element, named as above, and whether its focus ring shows. */
  private static final String FOCUSED =
      """
      () => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return {
          name: e.dataset.key || e.id || e.getAttribute('aria-label') || e.textContent.trim(),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          html: e.outerHTML.slice(0, 120),
        };
      }""";

  /**
   * The page afresh (once {@code ready} shows): from its start, Tab reaches every control, each
   * with its focus ring showing.
   */
  private static void tabThroughEveryControl(Page page, String ready) {
    page.navigate(page.url());
    assertThat(page.locator(ready).first()).isVisible();
    @SuppressWarnings("unchecked")
    List<String> controls = (List<String>) page.evaluate(FOCUSABLE);
    List<String> reached = new ArrayList<>();
    for (int i = 0; i < controls.size() + 3 && !reached.containsAll(controls); i++) {
      page.keyboard().press("Tab");
      reached.add(assertFocusVisible(page));
    }
    Assertions.assertThat(reached).as("controls reached by Tab").containsAll(controls);
  }

  /** Presses Tab until the focused element matches {@code selector}; its focus ring shows. */
  private static void tabTo(Page page, String selector) {
    for (int i = 0; i < 60; i++) {
      page.keyboard().press("Tab");
      if ((Boolean) page.evaluate("s => document.activeElement.matches(s)", selector)) {
        assertFocusVisible(page);
        return;
      }
    }
    Assertions.fail("Tab never reached " + selector);
  }

  /** The focused element shows a focus ring (an outline of at least 2px); returns its name. */
  private static String assertFocusVisible(Page page) {
    @SuppressWarnings("unchecked")
    Map<String, Object> focused = (Map<String, Object>) page.evaluate(FOCUSED);
    Assertions.assertThat(focused.get("ring"))
        .as("visible focus on %s", focused.get("html"))
        .isEqualTo(true);
    return (String) focused.get("name");
  }

  private static Locator.FilterOptions has(String text) {
    return new Locator.FilterOptions().setHasText(text);
  }

  @ParameterizedTest
  @EnumSource(Viewport.class)
  void denyingConsentAtGoogleSaysSoInAnAlert(Viewport viewport) {
    try (Session session = new Session(viewport)) {
      session.signIn("denier-" + UUID.randomUUID());
      session.page.navigate(gateway("/settings"));
      session.consent(null, false, true);
      assertThat(session.page.getByRole(AriaRole.ALERT))
          .hasText("Could not connect Google Calendar: access was denied at Google.");
      assertThat(session.page.locator("#no-connections")).isVisible();
      session.shot("settings-consent-denied");
      session.axe("settings after a denied consent");
    }
  }

  @ParameterizedTest
  @EnumSource(Viewport.class)
  void untickingTheCalendarScopeSaysCalendarAccessWasNotGranted(Viewport viewport)
      throws Exception {
    try (Session session = new Session(viewport)) {
      session.signIn("unticker-" + UUID.randomUUID());
      session.page.navigate(gateway("/settings"));
      session.consent(newGoogleAccount(), true, false);
      assertThat(session.page.getByRole(AriaRole.ALERT))
          .hasText("Could not connect Google Calendar: calendar access was not granted.");
      assertThat(session.page.locator("#no-connections")).isVisible();
      session.shot("settings-scope-unticked");
    }
  }

  @Test
  void aSignInThatCannotCompleteSaysSoOnTheDashboard() {
    try (Session session = new Session(Viewport.DESKTOP)) {
      session.page.navigate(gateway("/login/oauth2/code/calendar?code=stale&state=stale"));
      session.page.waitForURL(gateway("/?sign_in=failed"));
      assertThat(session.page.locator("#sign-in-message")).hasAttribute("role", "alert");
      assertThat(session.page.locator("#sign-in-message"))
          .containsText("The sign-in did not complete");
      assertThat(session.page.locator("#sign-in")).isVisible();
      session.shot("sign-in-failed");
      session.axe("dashboard after a failed sign-in");
    }
  }

  /**
   * The backend-for-frontend as the browser holds it: after signing in (from settings, and back
   * there) the page's scripts can reach no token, only an HttpOnly, SameSite session cookie is
   * kept, and signing out ends the session at the gateway and the issuer.
   */
  @Test
  void theBrowserHoldsNoTokenOnlyAnHttpOnlySessionCookieAndSignsOut() {
    try (Session session = new Session(Viewport.DESKTOP)) {
      Page page = session.page;
      page.navigate(gateway("/settings"));
      assertThat(page.locator("#signed-out")).isVisible();
      page.locator("#sign-in").click();
      page.waitForURL(url -> url.startsWith(settings().issuerUri()));
      page.locator("input[name=username]").fill("holder-" + UUID.randomUUID());
      page.locator("input[type=submit]").click();
      page.waitForURL(gateway("/settings"));
      assertThat(page.locator("#signed-in")).isVisible();

      String readable =
          (String)
              page.evaluate(
                  "() => document.cookie + ' ' + JSON.stringify(sessionStorage)"
                      + " + ' ' + JSON.stringify(localStorage)");
      Assertions.assertThat(readable)
          .as("what the page's scripts can read")
          .doesNotContain("CALSYNC_SESSION")
          .doesNotContain("eyJ");
      com.microsoft.playwright.options.Cookie cookie =
          session.context.cookies().stream()
              .filter(c -> c.name.equals("CALSYNC_SESSION"))
              .findFirst()
              .orElseThrow();
      Assertions.assertThat(cookie.httpOnly).isTrue();
      Assertions.assertThat(cookie.sameSite)
          .isEqualTo(com.microsoft.playwright.options.SameSiteAttribute.LAX);

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
      page.waitForURL(gateway("/"));
      assertThat(page.locator("#signed-out")).isVisible();
      Assertions.assertThat(page.request().get(gateway("/auth/session")).text())
          .isEqualTo("{\"signed_in\":false}");
      session.shot("signed-out");
    }
  }

  /** One browser context (a fresh profile) at one viewport, with its console watched. */
  private static final class Session implements AutoCloseable {

    private static final AtomicInteger SHOTS = new AtomicInteger();

    final Viewport viewport;
    final BrowserContext context;
    final Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    Session(Viewport viewport) {
      this(viewport, null);
    }

    /** A session whose browser reports {@code timeZone} (an IANA name), or the machine's zone. */
    Session(Viewport viewport, String timeZone) {
      this.viewport = viewport;
      Browser.NewContextOptions options =
          new Browser.NewContextOptions()
              .setViewportSize(viewport.width, viewport.height)
              .setIsMobile(viewport.mobile)
              .setHasTouch(viewport.mobile)
              .setLocale("en-US");
      if (timeZone != null) {
        options.setTimezoneId(timeZone);
      }
      context = browser.newContext(options);
      // hermetic: nothing leaves the machine (the issuer's login page asks for a web font)
      context.route(url -> !isLocal(url), Route::abort);
      page = context.newPage();
      page.onConsoleMessage(
          message -> {
            if ("error".equals(message.type()) && ours(page.url())) {
              consoleErrors.add(page.url() + ": " + message.text());
            }
          });
      page.onPageError(error -> consoleErrors.add(page.url() + ": " + error));
    }

    /** Signs in at the development issuer's login page and lands on the dashboard. */
    void signIn(String username) {
      page.navigate(gateway("/"));
      assertThat(page.locator("#signed-out")).isVisible();
      shot("dashboard-signed-out");
      axe("dashboard signed out");
      page.locator("#sign-in").click();
      page.waitForURL(url -> url.startsWith(settings().issuerUri()));
      page.locator("input[name=username]").fill(username);
      shot("issuer-sign-in");
      page.locator("input[type=submit]").click();
      page.waitForURL(gateway("/"));
      assertThat(page.locator("#signed-in")).isVisible();
    }

    /**
     * From settings, "Connect Google Calendar" and the emulator's consent page: allow (as {@code
     * account}, with or without the calendar scope) or deny; waits for the way back to settings.
     */
    void consent(String account, boolean allow, boolean withCalendarScope) {
      page.getByRole(
              AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Google Calendar"))
          .click();
      page.waitForURL(url -> url.startsWith(settings().emulatorUrl()));
      if (account != null) {
        page.locator("input[name=email]").fill(account);
      }
      if (!withCalendarScope) {
        page.locator("input[name=granted_scopes][value='" + CALENDAR_SCOPE + "']").uncheck();
      }
      shot("google-consent");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(allow ? "Allow" : "Deny"))
          .click();
      page.waitForURL(gateway("/settings"));
    }

    /** Marks the page, to show later that it was not loaded again. */
    void markPage() {
      page.evaluate("() => { window.notReloaded = true; }");
    }

    void assertNotReloaded() {
      Assertions.assertThat(page.evaluate("() => window.notReloaded === true"))
          .as("the page was not reloaded")
          .isEqualTo(true);
    }

    void shot(String name) {
      String file =
          String.format(
              "%02d-%s-%s.png",
              SHOTS.incrementAndGet(), viewport.name().toLowerCase(Locale.ROOT), name);
      page.screenshot(
          new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(file)).setFullPage(true));
    }

    /** axe-core's WCAG scan of the page as it is now; fails on serious or critical violations. */
    void axe(String what) {
      page.evaluate(axeSource);
      String result =
          (String)
              page.evaluate(
                  """
                  async () => {
                    const r = await axe.run(document, { resultTypes: ['violations'] });
                    return JSON.stringify(r.violations.map((v) => ({
                      id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\\s+/g, ' ') : '')),
                    })));
                  }""");
      JsonNode violations = SystemClient.JSON.readTree(result);
      List<String> blocking = new ArrayList<>();
      for (JsonNode violation : violations) {
        String line =
            "axe "
                + viewport.name().toLowerCase(Locale.ROOT)
                + " "
                + what
                + ": "
                + violation.path("impact").asString()
                + " "
                + violation.path("id").asString()
                + " ("
                + violation.path("help").asString()
                + ") at "
                + violation.path("nodes");
        System.out.println(line);
        String impact = violation.path("impact").asString();
        if ("serious".equals(impact) || "critical".equals(impact)) {
          blocking.add(line);
        }
      }
      if (violations.isEmpty()) {
        System.out.println(
            "axe " + viewport.name().toLowerCase(Locale.ROOT) + " " + what + ": none");
      }
      Assertions.assertThat(blocking).as("serious or critical axe-core violations").isEmpty();
    }

    @Override
    public void close() {
      context.close();
      Assertions.assertThat(consoleErrors).as("console errors of the web client").isEmpty();
    }
  }

  private static boolean isLocal(String url) {
    if (!url.startsWith("http")) {
      return true;
    }
    String host = URI.create(url).getHost();
    return "localhost".equals(host) || "127.0.0.1".equals(host);
  }

  private static boolean ours(String url) {
    return url.startsWith(settings().gatewayUrl());
  }

  /** axe.min.js from the axe-core WebJar on the test classpath. */
  private static String axeCore() throws IOException {
    Properties pom = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
      pom.load(in);
    }
    try (InputStream in =
        resource(
            "META-INF/resources/webjars/axe-core/" + pom.getProperty("version") + "/axe.min.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = WebClientBrowserSystemTests.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new UncheckedIOException(new IOException("not on the test classpath: " + name));
    }
    return in;
  }

  private static void insertEventAtGoogle(String account, String title)
      throws IOException, InterruptedException {
    Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    insertGoogleEvent(
        account,
        "{\"summary\":\""
            + title
            + "\",\"start\":{\"dateTime\":\""
            + start
            + "\"},\"end\":{\"dateTime\":\""
            + start.plus(1, ChronoUnit.HOURS)
            + "\"}}");
  }

  /** Inserts {@code event} (Google's JSON) into the account's primary calendar at the emulator. */
  private static void insertGoogleEvent(String account, String event)
      throws IOException, InterruptedException {
    String token =
        json(send(
                "POST",
                settings().emulatorUrl() + "/emulator/v1/accounts/" + account + "/access-token",
                null,
                "{}"))
            .get("access_token")
            .asString();
    HttpResponse<String> inserted =
        send(
            "POST",
            settings().emulatorUrl() + "/calendar/v3/calendars/primary/events",
            token,
            event);
    Assertions.assertThat(inserted.statusCode()).isEqualTo(200);
  }
}
