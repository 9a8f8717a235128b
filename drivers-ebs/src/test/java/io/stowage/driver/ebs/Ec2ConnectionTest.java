package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.OperationTimeoutException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad regions, endpoints and credentials give typed errors that say what to fix. */
class Ec2ConnectionTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @Test
  void aRegionThatDoesNotExistIsRefusedBeforeAnyCall() {
    Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of("xx-nowhere-1"),
        Optional.empty()).withCredentials(EbsFixture.ACCESS_KEY, EbsFixture.SECRET_KEY);
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ec2Connection.open(config, "xx-nowhere-1"));
    assertTrue(e.getMessage().contains("xx-nowhere-1"), e.getMessage());
    assertTrue(e.getMessage().contains("us-east-1"), "lists the known regions");
  }

  @Test
  void aRegionNameOfTheWrongShapeIsRefused() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ec2ClientConfig.defaults(Optional.of("US East"), Optional.empty()));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).contains("US East"));
  }

  @Test
  void anEndpointThatDoesNotAnswerTimesOutNamingIt() throws Exception {
    // Accepts connections into its backlog and never answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of(EbsFixture.REGION),
          Optional.of(endpoint)).withCredentials(EbsFixture.ACCESS_KEY, EbsFixture.SECRET_KEY)
          .withLimits(1, Duration.ofSeconds(1), Duration.ofMillis(500));
      try (EbsBackend backend = backend(config)) {
        long start = System.nanoTime();
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
            backend::list);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
        assertEquals(Duration.ofMillis(500), e.waited());
        assertTrue(millis < 5_000, "two attempts of 500 ms and a backoff: " + millis + " ms");
      }
    }
  }

  @Test
  void anEndpointThatRefusesConnectionsIsARetryableBackendError() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of(EbsFixture.REGION),
        Optional.of(endpoint)).withCredentials(EbsFixture.ACCESS_KEY, EbsFixture.SECRET_KEY)
        .withLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (EbsBackend backend = backend(config)) {
      BackendException e = assertThrows(BackendException.class, backend::list);
      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
    }
  }

  @Test
  void missingCredentialsAreAConfigurationError() {
    // The build runs tests without AWS environment variables, profile files or instance
    // metadata (see the surefire configuration); this test checks that it does.
    assertNull(System.getenv("AWS_ACCESS_KEY_ID"));
    assertNull(System.getenv("AWS_PROFILE"));
    assertNull(System.getProperty("aws.accessKeyId"));
    assertEquals("true", System.getProperty("aws.disableEc2Metadata"));
    assertTrue(System.getProperty("aws.sharedCredentialsFile", "").contains("no-aws"));
    Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of(EbsFixture.REGION),
        Optional.of(fixture.ec2.endpoint()));
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ec2Connection.open(config, EbsFixture.REGION));
    assertTrue(e.getMessage().contains("no AWS credentials"), e.getMessage());
    assertEquals(0, fixture.ec2.total());
  }

  @Test
  void rejectedCredentialsAreAConfigurationErrorWithoutTheSecret() {
    Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of(EbsFixture.REGION),
        Optional.of(fixture.ec2.endpoint())).withCredentials("AKIDWRONG0000000000", "wrong/secret")
        .withLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(2));
    try (EbsBackend backend = backend(config)) {
      ConfigurationException e = assertThrows(ConfigurationException.class, backend::list);
      assertTrue(e.getMessage().contains("HTTP 401, AuthFailure"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong/secret"));
    }
  }

  @Test
  void theSecretKeyNeverAppearsInTheConfiguration() {
    Ec2ClientConfig config = fixture.config();
    assertFalse(config.toString().contains(EbsFixture.SECRET_KEY), config.toString());
    assertTrue(config.toString().contains(EbsFixture.ACCESS_KEY));
  }

  @Test
  void everyConfigurationProblemIsReportedAtOnce() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new Ec2ClientConfig(Optional.of(EbsFixture.REGION),
            Optional.of(URI.create("ftp://example.invalid")), Optional.of("AKID"),
            Optional.empty(), -1, Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals(4, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().stream().anyMatch(p -> p.contains("secretKey")));
  }

  @Test
  void aRegionNewerThanTheSdkWorksThroughAnEndpoint() throws Exception {
    // An unknown region is accepted when the endpoint is given: the double answers for it.
    try (Ec2Double other = new Ec2Double("xx-newer-1", EbsFixture.ACCESS_KEY)) {
      Ec2ClientConfig config = Ec2ClientConfig.defaults(Optional.of("xx-newer-1"),
          Optional.of(other.endpoint())).withCredentials(EbsFixture.ACCESS_KEY,
          EbsFixture.SECRET_KEY);
      try (Ec2Connection connection = Ec2Connection.open(config, "xx-newer-1")) {
        assertEquals(List.of(), connection.call("DescribeVolumes", "all",
            () -> connection.client().describeVolumes()).volumes());
      }
    }
  }

  private static EbsBackend backend(Ec2ClientConfig config) {
    InstanceIdentity identity = new InstanceIdentity(
        io.stowage.model.InstanceId.of(EbsFixture.INSTANCE), EbsFixture.REGION, EbsFixture.ZONE);
    return new EbsBackend(Ec2Connection.open(config, EbsFixture.REGION), identity,
        Optional.empty(), n -> false, EbsFixture.options(EbsFixture.FAST), new Random(1),
        region -> Ec2Connection.open(config, region));
  }
}
