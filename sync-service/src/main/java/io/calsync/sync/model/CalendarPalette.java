package io.calsync.sync.model;

import java.util.List;

/**
 * The colours a calendar gets when neither Google nor the user gave it one: each reaches 3:1
 * against the web client's white card (WCAG 1.4.11 for a graphical object) and they differ in hue.
 * A new colourless calendar takes the one its user's visible calendars use least, the earliest on
 * ties, so a user's first ten such calendars all differ; it keeps it afterwards.
 */
public final class CalendarPalette {

  public static final List<String> COLORS =
      List.of(
          "#1a73e8", "#0b8043", "#d50000", "#8e24aa", "#b06000", "#3f51b5", "#00796b", "#ad1457",
          "#616161", "#795548");

  private CalendarPalette() {}
}
