package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.SECRET_KEY;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.Stowage;
import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Diagnosis;
import io.stowage.spi.DriverConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code Stowage.builder().diagnose()} with the EBS driver against the EC2 and IMDS doubles. */
class EbsDiagnoseTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  @Test
  void aWorkingSetupReportsEachStepAndMakesOneEc2Call() {
    String attached = fixture.ec2.volume("data", ZONE, Map.of());
    fixture.ec2.attachNow(attached, INSTANCE, "/dev/xvdba");
    fixture.ec2.volume("other", ZONE, Map.of());

    List<Diagnosis> steps = diagnose(stowage());

    assertEquals(List.of("settings", "credentials", "instance identity", "region", "ec2"),
        checks(steps));
    assertTrue(steps.stream().allMatch(Diagnosis::passed), steps.toString());
    assertEquals("found: the static keys of the ebs settings (accessKey, secretKey)",
        detail(steps, "credentials"));
    assertEquals("instance " + INSTANCE + " in " + ZONE + ", from IMDSv2 at "
        + fixture.imds.endpoint(), detail(steps, "instance identity"));
    assertEquals("us-east-1 (the instance's), EC2 endpoint " + fixture.ec2.endpoint(),
        detail(steps, "region"));
    assertTrue(detail(steps, "ec2").endsWith("1 volume(s) attached to " + INSTANCE),
        detail(steps, "ec2"));
    assertEquals(Map.of("DescribeVolumes", 1), fixture.ec2.counts(), "one cheap call");
    assertNoSecretIn(steps);
  }

  @Test
  void credentialsFromTheDefaultChainNameTheProviderThatFoundThem() {
    System.setProperty("aws.accessKeyId", EbsFixture.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    try {
      List<Diagnosis> steps = diagnose(stowage().setting("ebs.accessKey", null)
          .setting("ebs.secretKey", null));
      assertTrue(steps.stream().allMatch(Diagnosis::passed), steps.toString());
      String credentials = detail(steps, "credentials");
      assertEquals("found: the AWS default credential chain: the Java system properties"
          + " aws.accessKeyId and aws.secretAccessKey", credentials);
      assertNoSecretIn(steps);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void missingCredentialsFailTheirStepAndNoEc2CallIsMade() {
    List<Diagnosis> steps = diagnose(stowage().setting("ebs.accessKey", null)
        .setting("ebs.secretKey", null));
    assertEquals(List.of("settings", "credentials", "instance identity", "region"),
        checks(steps));
    Diagnosis credentials = steps.get(1);
    assertFalse(credentials.passed());
    assertTrue(credentials.detail().contains("no AWS credentials found"), credentials.detail());
    assertTrue(steps.get(2).passed() && steps.get(3).passed(), steps.toString());
    assertEquals(0, fixture.ec2.total());
  }

  @Test
  void anUnknownRegionEndsTheList() {
    List<Diagnosis> steps = diagnose(stowage().setting("ebs.endpoint", null)
        .setting("ebs.region", "xx-nowhere-1"));
    Diagnosis region = steps.get(steps.size() - 1);
    assertEquals("region", region.check());
    assertFalse(region.passed());
    assertTrue(region.detail().contains("\"xx-nowhere-1\" is not an AWS region this SDK knows"),
        region.detail());
  }

  @Test
  void anUnreachableMetadataServiceFailsTheIdentityStepNamingWhatToConfigure()
      throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    List<Diagnosis> steps = diagnose(stowage()
        .setting("ebs.metadataEndpoint", "http://127.0.0.1:" + closedPort));
    Diagnosis identity = steps.get(steps.size() - 1);
    assertEquals("instance identity", identity.check());
    assertFalse(identity.passed());
    assertTrue(identity.detail().contains("configure instanceId, availabilityZone and region"),
        identity.detail());
  }

  @Test
  void anEndpointThatDoesNotAnswerFailsTheEc2StepWithinItsBound() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Diagnosis> steps = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> diagnose(stowage()
              .setting("ebs.endpoint", "http://127.0.0.1:" + silent.getLocalPort())
              .setting("ebs.callTimeout", "1s")
              .setting("ebs.maxRetries", "1")));
      Diagnosis ec2 = steps.get(steps.size() - 1);
      assertEquals("ec2", ec2.check());
      assertFalse(ec2.passed());
      assertTrue(ec2.detail().startsWith("timed out after 1000 ms waiting for the EC2 endpoint"
          + " http://127.0.0.1:" + silent.getLocalPort() + " to answer DescribeVolumes"),
          ec2.detail());
    }
  }

  @Test
  void rejectedCredentialsFailTheEc2Step() {
    List<Diagnosis> steps = diagnose(stowage().setting("ebs.accessKey", "AKIDSTOWAGEWRONG0001"));
    Diagnosis ec2 = steps.get(steps.size() - 1);
    assertEquals("ec2", ec2.check());
    assertFalse(ec2.passed());
    assertTrue(ec2.detail().contains("rejected the credentials"), ec2.detail());
    assertNoSecretIn(steps);
  }

  @Test
  void invalidSettingsAreRefusedBeforeAnyCheck() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> stowage().setting("ebs.maxRetries", "99").diagnose());
    assertTrue(e.getMessage().contains("maxRetries 99 must be from 0 to 50"), e.getMessage());

    List<Diagnosis> steps = new EbsDriverProvider().diagnose(DriverConfig.of(
        EbsDriverProvider.NAME, Map.of("maxRetries", 99)), Hosts.context(work));
    assertEquals(List.of("settings"), checks(steps));
    assertFalse(steps.get(0).passed());
    assertTrue(steps.get(0).detail().contains("maxRetries 99 must be from 0 to 50"),
        steps.get(0).detail());
    assertEquals(0, fixture.ec2.total() + fixture.imds.gets());
  }

  @Test
  void ignoredSettingsAreNamedInThePassedSettingsStep() {
    List<Diagnosis> steps = diagnose(stowage().setting("ebs.nvmeBinPath", "/usr/sbin/nvme"));
    assertTrue(steps.get(0).passed());
    assertTrue(steps.get(0).detail().contains("ebs.nvmeBinPath is ignored"),
        steps.get(0).detail());
  }

  private Stowage.Builder stowage() {
    LocalDisks disks = new LocalDisks(work.resolve("host"), INSTANCE, LocalDisks.Style.NVME,
        false);
    return fixture.stowage(work, disks);
  }

  private static List<Diagnosis> diagnose(Stowage.Builder builder) {
    Map<String, List<Diagnosis>> result = builder.diagnose();
    assertEquals(List.of(EbsDriverProvider.NAME), List.copyOf(result.keySet()));
    return result.get(EbsDriverProvider.NAME);
  }

  private static List<String> checks(List<Diagnosis> steps) {
    return steps.stream().map(Diagnosis::check).toList();
  }

  private static String detail(List<Diagnosis> steps, String check) {
    return steps.stream().filter(d -> d.check().equals(check)).findFirst().orElseThrow()
        .detail();
  }

  private static void assertNoSecretIn(List<Diagnosis> steps) {
    for (Diagnosis d : steps) {
      assertFalse(d.detail().contains(SECRET_KEY), d.check());
      assertFalse(d.detail().contains(EbsFixture.ACCESS_KEY), d.check());
    }
  }
}
