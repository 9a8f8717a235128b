package io.stowage.site;

/** A page cannot be built: a broken link, a missing snippet, a block that drifted. */
final class SiteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SiteException(String message) {
    super(message);
  }
}
