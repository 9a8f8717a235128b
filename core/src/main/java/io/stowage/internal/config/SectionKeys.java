package io.stowage.internal.config;

import io.stowage.spi.DriverConfig;
import java.util.Locale;
import java.util.Set;

/** Keys of driver sections: how they match, and which hold secrets. */
final class SectionKeys {
  /** What a secret shows as. */
  static final String MASK = "****";

  private SectionKeys() {}

  /**
   * Normalizes a key for matching as the binder does: stripped, lower case, without {@code _}
   * and {@code -}.
   */
  static String normalize(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /**
   * Whether a key holds a secret: declared as one by its driver, or named like a password,
   * secret or token (the safety net for sections of drivers that are not installed).
   */
  static boolean isSecret(String key, Set<String> declaredSecrets) {
    return declaredSecrets.contains(normalize(key)) || DriverConfig.looksSecret(key);
  }
}
