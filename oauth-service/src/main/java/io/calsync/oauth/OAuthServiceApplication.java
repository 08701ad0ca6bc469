package io.calsync.oauth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OAuthServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(OAuthServiceApplication.class, args);
  }
}
