package io.stowage.driver.fake;

import io.stowage.spi.DriverConfig;

/** The contract suite on the fake driver with real loop devices (root, asserted under CI). */
class FakeDriverLoopContractTest extends FakeDriverContractTest {
  @Override
  protected DriverConfig config() {
    LoopEnvironment.require();
    return super.config();
  }

  @Override
  DeviceMode devices() {
    return DeviceMode.LOOP;
  }
}
