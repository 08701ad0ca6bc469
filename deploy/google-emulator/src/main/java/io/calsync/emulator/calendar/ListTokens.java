package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The tokens of events.list and events.instances: page tokens ({@link Cursor}, where the next page
 * starts in a snapshot) and sync tokens (a calendar's change sequence in one epoch).
 */
final class ListTokens {

  private ListTokens() {}

  /**
   * A page token: the listing mode ({@code F} full, {@code I} incremental, {@code O} ordered,
   * {@code X} instances), the epoch and change sequence of the snapshot, the sync token's sequence
   * (incremental only), the row to resume at and the item within it, and the fingerprint of the
   * calendar and query it belongs to ({@link #binding}).
   */
  record Cursor(
      char mode, int epoch, long snapshot, long tokenSeq, long main, int sub, int binding) {

    String encode() {
      String raw =
          "p1|" + mode + "|" + epoch + "|" + snapshot + "|" + tokenSeq + "|" + main + "|" + sub
              + "|" + binding;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor of a page token; 400 when it is malformed or was issued for another calendar or
     * query ({@code binding} differs), as at Google.
     */
    static Cursor decode(String token, int binding) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String[] p = raw.split("\\|");
        if (p.length != 8 || !p[0].equals("p1") || Integer.parseInt(p[7]) != binding) {
          throw new IllegalArgumentException();
        }
        return new Cursor(
            p[1].charAt(0),
            Integer.parseInt(p[2]),
            Long.parseLong(p[3]),
            Long.parseLong(p[4]),
            Long.parseLong(p[5]),
            Integer.parseInt(p[6]),
            binding);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
      }
    }
  }

  /**
   * The fingerprint of a calendar and a query's parameters other than {@code pageToken} and {@code
   * maxResults}: a page token only continues the listing it came from.
   */
  static int binding(CalendarData data, Object... parameters) {
    return java.util.Objects.hash(data.id, java.util.Arrays.hashCode(parameters));
  }

  /** The sync token for {@code atSeq} in the calendar's current epoch. */
  static String syncToken(CalendarData data, long atSeq) {
    String raw = "s1|" + data.id + "|" + data.epoch + "|" + atSeq;
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The change sequence a sync token stands for; 410 fullSyncRequired when it is no longer valid.
   */
  static long decodeSyncToken(CalendarData data, String token) {
    try {
      String raw = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      int last = raw.lastIndexOf('|');
      int prev = raw.lastIndexOf('|', last - 1);
      if (!raw.startsWith("s1|") || prev < 3) {
        throw ApiException.fullSyncRequired();
      }
      String calendarId = raw.substring(3, prev);
      int tokenEpoch = Integer.parseInt(raw.substring(prev + 1, last));
      long at = Long.parseLong(raw.substring(last + 1));
      if (!calendarId.equals(data.id) || tokenEpoch != data.epoch || at > data.seq) {
        throw ApiException.fullSyncRequired();
      }
      return at;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw ApiException.fullSyncRequired();
    }
  }
}
