package io.calsync.emulator.oauth;

/** A Google account of the emulator: its e-mail is also its primary calendar's id. */
public record Account(String email, String sub) {}
