package io.calsync.oauth.cipher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated local key of a development stack: created once (32 random bytes, base64) with
 * owner-only permissions, then read on every start. Runs at start-up only, never on an event loop.
 */
final class LocalKeyFile {

  private static final Logger log = LoggerFactory.getLogger(LocalKeyFile.class);

  private LocalKeyFile() {}

  /** Reads the key at {@code path}, creating it first when it does not exist. */
  static byte[] loadOrCreate(Path path) {
    try {
      if (Files.exists(path)) {
        return read(path);
      }
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] key = new byte[LocalAesGcmTokenCipher.KEY_BYTES];
      new SecureRandom().nextBytes(key);
      byte[] encoded = Base64.getEncoder().encode(key);
      try {
        Files.write(Files.createFile(path, ownerOnly(path)), encoded);
      } catch (FileAlreadyExistsException raced) {
        return read(path); // another instance created it first
      }
      log.info("Generated a local token encryption key at {}", path.toAbsolutePath());
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the token key file " + path, e);
    }
  }

  private static byte[] read(Path path) throws IOException {
    return LocalAesGcmTokenCipher.decodeKey(Files.readString(path, StandardCharsets.US_ASCII));
  }

  private static FileAttribute<?>[] ownerOnly(Path path) {
    boolean posix =
        path.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!posix) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-------");
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
  }
}
