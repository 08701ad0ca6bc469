package io.calsync.oauth;

import io.calsync.testsupport.BlockingCalls;
import org.junit.jupiter.api.Test;

class BlockHoundTests {

  @Test
  void blockingCallOnAnEventLoopFailsTheTest() {
    BlockingCalls.assertDetectedOnEventLoops();
  }

  @Test
  void cancellingAPeriodicTimerOnAnEventLoopIsAllowed() {
    BlockingCalls.assertPeriodicTimerCancellationAllowed();
  }
}
