package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import io.stowage.model.InstanceId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The instance identity and block device mapping through the SDK's IMDSv2 client. */
class InstanceMetadataTest {
  private ImdsDouble imds;

  @BeforeEach
  void start() throws Exception {
    imds = new ImdsDouble("i-0123456789abcdef0", "eu-central-1", "eu-central-1c",
        Map.of("ami", "/dev/xvda", "root", "/dev/xvda", "ephemeral0", "sdb", "ebs2", "sdf"));
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  @Test
  void theIdentityDocumentIsReadWithASessionToken() {
    try (InstanceMetadata metadata = new InstanceMetadata(imds.endpoint(),
        Duration.ofSeconds(2))) {
      assertEquals(new InstanceIdentity(InstanceId.of("i-0123456789abcdef0"), "eu-central-1",
          "eu-central-1c"), metadata.identity());
      assertEquals(1, imds.tokenRequests());
      assertEquals(1, imds.gets());
      assertEquals(0, imds.refused());
    }
  }

  @Test
  void theDoubleRefusesRequestsWithoutAToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(
        imds.endpoint().resolve("/latest/meta-data/instance-id")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, plain.statusCode());
    HttpResponse<String> noTtl = http.send(HttpRequest.newBuilder(
        imds.endpoint().resolve("/latest/api/token"))
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, noTtl.statusCode());
  }

  @Test
  void blockDeviceNamesAreNormalised() {
    try (InstanceMetadata metadata = new InstanceMetadata(imds.endpoint(),
        Duration.ofSeconds(2))) {
      assertEquals(Set.of("xvda", "xvdb", "xvdf"), metadata.blockDeviceNames());
    }
  }

  @Test
  void configuredValuesOverrideTheMetadataAndAllThreeSkipIt() {
    try (InstanceMetadata metadata = new InstanceMetadata(imds.endpoint(),
        Duration.ofSeconds(2))) {
      InstanceIdentity explicit = InstanceIdentity.resolve(Optional.of("i-0aaaaaaaaaaaaaaaa"),
          Optional.of("eu-central-1a"), Optional.of("eu-central-1"), () -> metadata);
      assertEquals(new InstanceIdentity(InstanceId.of("i-0aaaaaaaaaaaaaaaa"), "eu-central-1",
          "eu-central-1a"), explicit);
      assertEquals(0, imds.tokenRequests() + imds.gets());

      InstanceIdentity mixed = InstanceIdentity.resolve(Optional.empty(),
          Optional.of("eu-central-1b"), Optional.empty(), () -> metadata);
      assertEquals(new InstanceIdentity(InstanceId.of("i-0123456789abcdef0"), "eu-central-1",
          "eu-central-1b"), mixed);
    }
  }

  @Test
  void anUnreachableMetadataServiceSaysWhatToConfigure() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    try (InstanceMetadata metadata = new InstanceMetadata(URI.create("http://127.0.0.1:"
        + port), Duration.ofMillis(500))) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          metadata::identity);
      assertTrue(e.getMessage().contains("configure instanceId, availabilityZone and region"),
          e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
  }
}
