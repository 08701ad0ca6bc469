package io.calsync.oauth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OAuthServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(OAuthServiceApplication.class, args);
  }
}
