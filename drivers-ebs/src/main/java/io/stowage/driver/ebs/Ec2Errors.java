package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates SDK failures into Stowage exceptions by EC2 error code (never by message text),
 * keeping EC2's request ID. Stateless and thread-safe.
 */
final class Ec2Errors {
  /** The volume does not exist (or is not visible to these credentials). */
  static final String VOLUME_NOT_FOUND = "InvalidVolume.NotFound";
  /** The volume is attached (delete, attach of a non-multi-attach volume). */
  static final String VOLUME_IN_USE = "VolumeInUse";
  /** The volume or attachment is in a state that does not allow the call. */
  static final String INCORRECT_STATE = "IncorrectState";
  /** The volume is not attached to the instance named in a detach. */
  static final String ATTACHMENT_NOT_FOUND = "InvalidAttachment.NotFound";
  /** A parameter value is refused; for AttachVolume, typically a device name in use. */
  static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
  /** The snapshot does not exist (or is not visible to these credentials). */
  static final String SNAPSHOT_NOT_FOUND = "InvalidSnapshot.NotFound";
  /** A modification of the volume is still in progress. */
  static final String INCORRECT_MODIFICATION_STATE = "IncorrectModificationState";

  /** Codes of calls refused for the state of their volume or snapshot. */
  private static final Set<String> STATE = Set.of(INCORRECT_STATE,
      INCORRECT_MODIFICATION_STATE, "InvalidSnapshot.InUse");

  private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling",
      "ThrottlingException", "RequestThrottled", "RequestThrottledException",
      "EC2ThrottledException", "BandwidthLimitExceeded");
  private static final Set<String> CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId",
      "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
      "OptInRequired", "PendingVerification", "Blocked");
  private static final Set<String> PASSING = Set.of("IncorrectInstanceState",
      "InsufficientVolumeCapacity", "InternalError", "ServerInternal", "Unavailable",
      "ServiceUnavailable", "RequestExpired", "RequestTimeout");

  private final String endpoint;
  private final Duration callTimeout;
  private final int maxRetries;

  /**
   * Creates a translator.
   *
   * @param endpoint the EC2 endpoint, named in connection errors
   * @param callTimeout the per-attempt timeout, reported in timeouts
   * @param maxRetries the retry budget, named when throttling outlasts it
   */
  Ec2Errors(String endpoint, Duration callTimeout, int maxRetries) {
    this.endpoint = endpoint;
    this.callTimeout = callTimeout;
    this.maxRetries = maxRetries;
  }

  /**
   * Returns EC2's error code of a failure.
   *
   * @param e the failure
   * @return the code, if EC2 answered with an error
   */
  static Optional<String> code(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return Optional.ofNullable(service.awsErrorDetails().errorCode());
    }
    return Optional.empty();
  }

  /**
   * Translates a failure.
   *
   * @param action the EC2 action ({@code CreateVolume})
   * @param subject what the call was about: a volume ID or name, an instance ID
   * @param e the SDK's failure
   * @return the Stowage exception to throw
   */
  StowageException translate(String action, String subject, SdkException e) {
    if (e instanceof AwsServiceException service) {
      return translateService(action, subject, service);
    }
    if (isTimeout(e)) {
      return new OperationTimeoutException("the EC2 endpoint " + endpoint + " to answer "
          + action + " for " + subject + " (per attempt, " + (maxRetries + 1) + " attempts)",
          callTimeout);
    }
    return new BackendException("cannot reach the EC2 endpoint " + endpoint + " for " + action
        + " of " + subject + ": " + e.getMessage(), true, null, e);
  }

  private StowageException translateService(String action, String subject,
      AwsServiceException e) {
    if (code(e).isEmpty() && e.statusCode() == 401) {
      // EC2 answers AuthFailure with 401, whose body the JDK's HttpURLConnection drops for a
      // streamed POST (ADR 0009): the status is all there is.
      return new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("EC2 rejected the"
          + " credentials for " + action + " (HTTP 401, AuthFailure); check accessKey and"
          + " secretKey, the profile or the instance role, and the region"));
    }
    String code = code(e).orElse("HTTP " + e.statusCode());
    String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
        ? "" : e.awsErrorDetails().errorMessage();
    String requestId = e.requestId();
    String reason = action + " refused: " + code + (message.isEmpty() ? "" : ": " + message);
    String detail = reason + (requestId == null ? "" : " (request id " + requestId + ")");
    switch (code) {
      case VOLUME_NOT_FOUND:
        return new VolumeNotFoundException(subject);
      case SNAPSHOT_NOT_FOUND:
        return new SnapshotNotFoundException(subject);
      case "InvalidSnapshotID.Malformed":
        return new InvalidArgumentException("snapshot id", subject, detail);
      case VOLUME_IN_USE:
        return new VolumeInUseException(subject, "an instance", "volume "
            + InvalidArgumentException.quote(subject) + " is in use: " + detail);
      case "InvalidZone.NotFound":
        return new InvalidArgumentException("availabilityzone", subject, detail);
      case "InvalidInstanceID.NotFound":
      case "InvalidInstanceID.Malformed":
        return new InvalidArgumentException("instance id", subject, detail);
      case "InvalidVolumeID.Malformed":
        return new InvalidArgumentException("volume id", subject, detail);
      case "InvalidVolume.ZoneMismatch":
        return new InvalidArgumentException("volume", subject, detail
            + "; an EBS volume attaches only to instances in its availability zone");
      case INVALID_PARAMETER_VALUE:
      case "InvalidParameterCombination":
      case "InvalidParameter":
      case "MissingParameter":
      case "UnknownParameter":
      case "InvalidKMSKey.NotFound":
        return new InvalidArgumentException(action + " parameters for", subject, detail);
      case "UnauthorizedOperation":
        return new BackendException("not authorized to call ec2:" + action + " for " + subject
            + ": grant ec2:" + action + " to the credentials' IAM identity", false, requestId,
            e);
      default:
        break;
    }
    if (STATE.contains(code)) {
      return new InvalidStateException(subject, code, reason + " for " + subject, requestId, e);
    }
    if (CREDENTIALS.contains(code)) {
      return new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("EC2 rejected the"
          + " credentials: " + detail + "; check accessKey and secretKey, the profile or the"
          + " instance role, and the region"));
    }
    if (THROTTLING.contains(code)) {
      return new BackendException("EC2 kept throttling " + action + " of " + subject
          + " through " + maxRetries + " retries (" + code + ")", true, requestId, e);
    }
    boolean retryable = PASSING.contains(code) || e.statusCode() >= 500;
    return new BackendException(reason + " for " + subject, retryable, requestId, e);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException
          || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
