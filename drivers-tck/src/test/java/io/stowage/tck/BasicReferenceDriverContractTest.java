package io.stowage.tck;

import io.stowage.spi.StorageDriverProvider;

/**
 * The contract kit on the reference driver without the optional features: it passes, the kit
 * asserting the refusals; {@link KitSelfTest} runs it again with the defects that break them.
 */
class BasicReferenceDriverContractTest extends ReferenceDriverContractTest {
  @Override
  protected StorageDriverProvider provider() {
    return new BasicReferenceDriverProvider();
  }
}
