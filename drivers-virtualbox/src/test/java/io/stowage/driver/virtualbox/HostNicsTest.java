package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNicsTest {
  @TempDir
  Path net;

  @Test
  void readsEveryInterfaceButTheLoopbackInVirtualBoxsForm() throws IOException {
    write("lo", "00:00:00:00:00:00\n");
    write("eth0", "08:00:27:ab:cd:ef\n");
    write("eth1", "08:00:27:12:34:56\n");
    Files.createDirectories(net.resolve("bond0"));

    assertEquals(Set.of("080027ABCDEF", "080027123456"), new HostNics(net).macAddresses());
  }

  @Test
  void aMissingDirectoryHasNoAddresses() {
    assertEquals(Set.of(), new HostNics(net.resolve("absent")).macAddresses());
  }

  private void write(String nic, String address) throws IOException {
    Files.createDirectories(net.resolve(nic));
    Files.writeString(net.resolve(nic).resolve("address"), address);
  }
}
