package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** EC2 error codes map to Stowage's exception types and keep the request ID. */
class Ec2ErrorsTest {
  private static final String ENDPOINT = "https://ec2.eu-west-1.amazonaws.com";
  private final Ec2Errors errors = new Ec2Errors(ENDPOINT, Duration.ofSeconds(30), 10);

  private static Ec2Exception ec2(int status, String code, String message) {
    return (Ec2Exception) Ec2Exception.builder()
        .statusCode(status)
        .requestId("req-" + code)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
            .build())
        .build();
  }

  private StowageException translate(int status, String code) {
    return errors.translate("AttachVolume", "vol-0123456789abcdef0", ec2(status, code, "msg"));
  }

  @Test
  void notFoundAndInUseHaveTheirOwnTypes() {
    VolumeNotFoundException notFound = assertInstanceOf(VolumeNotFoundException.class,
        translate(400, "InvalidVolume.NotFound"));
    assertEquals("vol-0123456789abcdef0", notFound.volume());
    VolumeInUseException inUse = assertInstanceOf(VolumeInUseException.class,
        translate(400, "VolumeInUse"));
    assertTrue(inUse.getMessage().contains("req-VolumeInUse"), inUse.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"InvalidParameterValue,AttachVolume parameters for",
      "InvalidParameterCombination,AttachVolume parameters for",
      "MissingParameter,AttachVolume parameters for", "InvalidZone.NotFound,availabilityzone",
      "InvalidInstanceID.NotFound,instance id", "InvalidVolumeID.Malformed,volume id",
      "InvalidVolume.ZoneMismatch,volume"})
  void refusedParametersAreInvalidArguments(String code, String field) {
    InvalidArgumentException e = assertInstanceOf(InvalidArgumentException.class,
        translate(400, code));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(code), e.getMessage());
    assertTrue(e.getMessage().contains("request id req-" + code), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"RequestLimitExceeded,503,true", "IncorrectState,400,true",
      "InsufficientVolumeCapacity,400,true", "InternalError,500,true",
      "UnauthorizedOperation,403,false", "VolumeLimitExceeded,400,false",
      "SomethingNew,400,false", "SomethingNewAndBroken,500,true"})
  void otherFailuresAreBackendErrorsWithTheRequestId(String code, int status,
      boolean retryable) {
    BackendException e = assertInstanceOf(BackendException.class, translate(status, code));
    assertEquals(retryable, e.retryable(), code);
    assertEquals("req-" + code, e.requestId().orElseThrow());
  }

  @Test
  void unauthorizedNamesThePermission() {
    assertTrue(translate(403, "UnauthorizedOperation").getMessage()
        .contains("grant ec2:AttachVolume"));
  }

  @ParameterizedTest
  @CsvSource({"AuthFailure", "SignatureDoesNotMatch", "OptInRequired"})
  void rejectedCredentialsAreConfigurationErrors(String code) {
    ConfigurationException e = assertInstanceOf(ConfigurationException.class,
        translate(401, code));
    assertTrue(e.getMessage().contains("req-" + code), e.getMessage());
  }

  @Test
  void aBare401IsACredentialsProblem() {
    Ec2Exception bare = (Ec2Exception) Ec2Exception.builder().statusCode(401).build();
    assertInstanceOf(ConfigurationException.class,
        errors.translate("DescribeVolumes", "all", bare));
  }

  @Test
  void timeoutsNameTheEndpoint() {
    OperationTimeoutException attempt = assertInstanceOf(OperationTimeoutException.class,
        errors.translate("DescribeVolumes", "all",
            ApiCallAttemptTimeoutException.create(30_000)));
    assertTrue(attempt.getMessage().contains(ENDPOINT), attempt.getMessage());
    assertEquals(Duration.ofSeconds(30), attempt.waited());
    assertInstanceOf(OperationTimeoutException.class, errors.translate("DescribeVolumes",
        "all", SdkClientException.create("read", new SocketTimeoutException("Read timed out"))));
  }

  @Test
  void unreachableEndpointsAreRetryable() {
    BackendException e = assertInstanceOf(BackendException.class, errors.translate(
        "DescribeVolumes", "all", SdkClientException.create("Unable to execute HTTP request",
            new java.net.ConnectException("Connection refused"))));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains(ENDPOINT));
    assertFalse(e.requestId().isPresent());
  }
}
