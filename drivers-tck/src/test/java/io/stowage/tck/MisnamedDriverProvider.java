package io.stowage.tck;

import io.stowage.spi.StorageDriverProvider;

/** The reference driver under a name that breaks {@link StorageDriverProvider#NAME_RULE}. */
public final class MisnamedDriverProvider extends ReferenceDriverProvider {
  /** Creates the provider, named with an upper-case letter and an underscore. */
  public MisnamedDriverProvider() {
    super("Reference_Driver");
  }
}
