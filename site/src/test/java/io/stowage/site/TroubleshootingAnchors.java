package io.stowage.site;

import java.util.Locale;

/**
 * The anchors of the operations page's troubleshooting sections, which the {@code stowage}
 * command's error messages link to: an exception's simple name in kebab case
 * ({@code VolumeNotFoundException} is {@code operations.html#volume-not-found-exception}).
 */
final class TroubleshootingAnchors {
  private TroubleshootingAnchors() {}

  static String of(String simpleName) {
    return simpleName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
