package io.stowage.tck;

/**
 * The reference driver without the optional features (snapshots, copies, resizes), named
 * {@value #NAME}: the kit asserts its refusals.
 */
public final class BasicReferenceDriverProvider extends ReferenceDriverProvider {
  /** The driver's name. */
  public static final String NAME = "referencebasic";

  /** Creates the provider. */
  public BasicReferenceDriverProvider() {
    super(NAME, ReferenceDriver.BASIC);
  }
}
