package io.stowage.driver.fake;

import io.stowage.Hosts;
import io.stowage.spi.HostOs;

/**
 * The contract suite on the fake driver with real loop devices, formatted and mounted on the
 * real Linux host (root, asserted under CI).
 */
class FakeDriverLoopContractTest extends FakeDriverContractTest {
  @Override
  protected HostOs host() {
    LoopEnvironment.require();
    return Hosts.linux();
  }

  @Override
  DeviceMode devices() {
    return DeviceMode.LOOP;
  }
}
