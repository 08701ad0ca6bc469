package io.calsync.emulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Standalone runs have no logging configuration: keep Logback's default DEBUG root quiet. */
final class StandaloneLogging {

  private StandaloneLogging() {}

  static void quiet() {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }
}
