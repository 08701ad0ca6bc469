package io.calsync.emulator.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counts per operation name. */
public final class Stats {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void count(String operation) {
    counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((k, v) -> snapshot.put(k, v.sum()));
    return snapshot;
  }

  public void reset() {
    counts.clear();
  }
}
