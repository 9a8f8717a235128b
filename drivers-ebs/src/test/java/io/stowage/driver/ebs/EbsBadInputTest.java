package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through {@code Stowage.builder()}: each is a typed error saying what to fix, and
 * changes nothing at EC2.
 */
class EbsBadInputTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  @Test
  void aRegionThatDoesNotExistIsRefusedWhenStowageOpens() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> stowage()
        .setting("ebs.endpoint", null).setting("ebs.region", "us-nowhere-9").build());
    assertTrue(e.getMessage().contains("region \"us-nowhere-9\" is not an AWS region this SDK"
        + " knows"), e.getMessage());
    assertTrue(e.getMessage().contains("us-east-1"), "it lists the known regions");
    assertEquals(0, fixture.ec2.total());
  }

  @Test
  void missingCredentialsAreRefusedWhenStowageOpens() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> stowage()
        .setting("ebs.accessKey", null).setting("ebs.secretKey", null).build());
    assertTrue(e.getMessage().contains("no AWS credentials found: set accessKey and secretKey"),
        e.getMessage());
  }

  @Test
  void anEndpointThatDoesNotAnswerTimesOutWithinItsBound() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Stowage stowage = stowage()
            .setting("ebs.endpoint", "http://127.0.0.1:" + silent.getLocalPort())
            .setting("ebs.callTimeout", "1s").setting("ebs.maxRetries", "1").build()) {
      OperationTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(OperationTimeoutException.class, () -> stowage.volumes().list()));
      assertTrue(e.getMessage().contains("to answer DescribeVolumes"), e.getMessage());
      assertTrue(e.getMessage().contains("2 attempts"), e.getMessage());
    }
  }

  @Test
  void optionsOutOfTheTypesRangeAreRefusedBeforeAnyCall() {
    try (Stowage stowage = stowage().build()) {
      InvalidArgumentException iops = assertThrows(InvalidArgumentException.class,
          () -> stowage.volumes().create("v", options("volumetype", "gp2", "iops", "3000")));
      assertEquals("iops", iops.field());
      assertTrue(iops.getMessage().contains("takes no provisioned IOPS"), iops.getMessage());

      InvalidArgumentException size = assertThrows(InvalidArgumentException.class,
          () -> stowage.volumes().create("v", options("volumetype", "st1", "size", "100")));
      assertEquals("size", size.field());
      assertTrue(size.getMessage().contains("from 125 to 16384 GiB"), size.getMessage());

      InvalidArgumentException throughput = assertThrows(InvalidArgumentException.class,
          () -> stowage.volumes().create("v", options("volumetype", "io1", "iops", "1000",
              "size", "100", "throughput", "250")));
      assertEquals("throughput", throughput.field());
      // Each refusal looked the name up (the core's check), and sent nothing else.
      assertEquals(Map.of("DescribeVolumes", 3), fixture.ec2.counts());
    }
  }

  @Test
  void throughputIsAnEbsVolumeOptionSentWithCreateVolume() {
    try (Stowage stowage = stowage().build()) {
      Volume v = stowage.volumes().create("fast", options("volumetype", "gp3", "iops", "4000",
          "throughput", "500"));
      assertEquals("500MiB/s", v.fields().get("throughput"));
      assertEquals("500", fixture.ec2.calls().stream()
          .filter(c -> c.action().equals("CreateVolume")).findFirst().orElseThrow()
          .params().get("Throughput"));
    }
  }

  private Stowage.Builder stowage() {
    return fixture.stowage(work, new LocalDisks(work.resolve("host"), INSTANCE,
        LocalDisks.Style.XEN, false));
  }

  private static VolumeOptions options(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return VolumeOptions.parse(map, new EbsDriverProvider().volumeOptionKeys());
  }
}
