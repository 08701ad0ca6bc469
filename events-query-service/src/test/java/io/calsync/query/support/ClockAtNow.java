package io.calsync.query.support;

import io.calsync.contract.testing.MutableClock;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Before each test of a {@link QueryServiceTest}, the service's clock is set back to {@link
 * TestBeans#NOW}.
 */
final class ClockAtNow implements BeforeEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) {
    SpringExtension.getApplicationContext(context).getBean(MutableClock.class).reset();
  }
}
