package io.calsync.oauth.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole service on a random port against {@link TestInfrastructure} and the in-process Google
 * emulator, with the settable clock of {@link TestBeans} (reset after every test). Every class
 * annotated with it shares one cached Spring context; tests isolate themselves with fresh user ids
 * and Google accounts. A test drives the service through a {@link Browser}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ContextConfiguration(initializers = TestInfrastructure.class)
@Import(TestBeans.class)
@ExtendWith(TestBeans.ResetClock.class)
public @interface OAuthServiceTest {}
