package io.stowage.cli;

import io.stowage.exception.StowageException;

/**
 * Where the operations page explains an error the {@code stowage} command prints: the section
 * of its exception type, or for a failure the command itself reports, the section of its exit
 * code. The documentation has no public address; the link is the page's path in the source
 * tree and the anchor the site keeps for it.
 */
final class TroubleshootingLink {
  /** The operations page, relative to the project's root. */
  static final String PAGE = "docs/operations.md";

  private TroubleshootingLink() {}

  /** Returns the link for an error. */
  static String of(StowageException e) {
    return PAGE + "#" + anchor(e);
  }

  /** Returns the anchor for an error. */
  static String anchor(StowageException e) {
    if (e instanceof CliException c && c.exitCode() >= ExitCodes.GENERAL
        && c.exitCode() <= ExitCodes.CHECK_FAILED) {
      return "exit-" + c.exitCode();
    }
    return StowageException.troubleshootingAnchor(e.getClass());
  }
}
