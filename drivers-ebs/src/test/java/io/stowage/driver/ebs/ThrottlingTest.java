package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EC2 answers a burst of requests with {@code RequestLimitExceeded} (HTTP 503): the SDK's
 * adaptive retry strategy backs off and the call succeeds within the retry budget; past the
 * budget the failure is a retryable back-end error with EC2's request ID.
 */
class ThrottlingTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @Test
  void aThrottledBurstIsRetriedWithinTheBudget() {
    fixture.ec2.volume("a", EbsFixture.ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      fixture.ec2.throttleNext(3);
      assertEquals(1, backend.list().size());
      assertEquals(3, fixture.ec2.throttled());
      assertEquals(4, fixture.ec2.count("DescribeVolumes"), "3 throttled attempts, 1 answered");
    }
  }

  @Test
  void waitsPollThroughThrottling() {
    String id = fixture.ec2.volume("b", EbsFixture.ZONE, Map.of());
    fixture.ec2.delays(Duration.ZERO, Duration.ofMillis(200), Duration.ZERO, Duration.ZERO);
    try (EbsBackend backend = fixture.backend()) {
      fixture.ec2.throttleNext(2);
      backend.attach(VolumeId.of(id), InstanceId.of(EbsFixture.INSTANCE), false);
      assertEquals(2, fixture.ec2.throttled());
      assertEquals(Optional.of("in-use"), fixture.ec2.state(id));
    }
  }

  @Test
  void throttlingBeyondTheBudgetIsARetryableErrorWithTheRequestId() {
    Ec2ClientConfig config = fixture.config().withLimits(2, Duration.ofSeconds(1),
        Duration.ofSeconds(2));
    InstanceIdentity identity = new InstanceIdentity(InstanceId.of(EbsFixture.INSTANCE),
        EbsFixture.REGION, EbsFixture.ZONE);
    try (EbsBackend backend = new EbsBackend(Ec2Connection.open(config, EbsFixture.REGION),
        identity, Optional.empty(), n -> false, EbsFixture.options(EbsFixture.FAST),
        new Random(1), region -> Ec2Connection.open(config, region))) {
      fixture.ec2.throttleNext(100);
      BackendException e = assertThrows(BackendException.class, backend::list);
      assertTrue(e.retryable());
      assertTrue(e.requestId().isPresent());
      assertTrue(e.getMessage().contains("RequestLimitExceeded"), e.getMessage());
      assertEquals(3, fixture.ec2.count("DescribeVolumes"), "1 attempt and 2 retries");
    }
  }
}
