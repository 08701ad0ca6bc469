package io.calsync.emulator;

public final class GoogleEmulator {

  public static void main(String[] args) {}
}
