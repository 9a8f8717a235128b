package io.stowage.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to mount a volume.
 *
 * @param caller who uses the mount; uses are counted per (volume, caller)
 * @param options options for an implicit create and for formatting ({@code newfstype},
 *     {@code overwritefs}), merged over the configured defaults; their {@code ro} and
 *     {@code mountoptions} apply to this mount too
 * @param preempt take the volume over from another instance; empty means the configured
 *     default
 * @param timeout the longest the whole mount may wait on the back end and the device; empty
 *     means the configured attach timeout
 * @param mountOptions read-only and extra mount options for this mount; what it leaves unset
 *     comes from {@code options}, then from the options the volume was created with
 */
public record MountRequest(Caller caller, VolumeOptions options, Optional<Boolean> preempt,
    Optional<Duration> timeout, MountOptions mountOptions) {

  /** A mount by the anonymous caller with no options. */
  public static final MountRequest DEFAULT = builder().build();

  /**
   * Validates the request.
   *
   * @param caller who uses the mount; uses are counted per (volume, caller)
   * @param options options for an implicit create and for formatting ({@code newfstype}, {@code
   *     overwritefs}), merged over the configured defaults; their {@code ro} and
   *     {@code mountoptions} apply to this mount too
   * @param preempt take the volume over from another instance; empty means the configured default
   * @param timeout the longest the whole mount may wait on the back end and the device; empty means
   *     the configured attach timeout
   * @param mountOptions read-only and extra mount options for this mount; what it leaves unset
   *     comes from {@code options}, then from the options the volume was created with
   * @throws io.stowage.exception.InvalidArgumentException when the timeout is not positive, or
   *     the mount options and the volume options disagree on read-only
   */
  public MountRequest {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(preempt, "preempt");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(mountOptions, "mountOptions");
    // ro or rw in both halves of one request must agree; the mount options win otherwise.
    mountOptions.readOnly().ifPresent(options.mount()::withReadOnly);
    timeout.ifPresent(t -> {
      if (t.isNegative() || t.isZero()) {
        throw new io.stowage.exception.InvalidArgumentException("timeout", t.toString(),
            "must be positive");
      }
    });
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the anonymous caller and no options
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MountRequest}. Not thread-safe. */
  public static final class Builder {
    private Caller caller = Caller.ANONYMOUS;
    private VolumeOptions options = VolumeOptions.NONE;
    private Boolean preempt;
    private Duration timeout;
    private Boolean readOnly;
    private final List<String> mountOptions = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the caller.
     *
     * @param caller the caller ID
     * @return this builder
     */
    public Builder caller(String caller) {
      this.caller = Caller.of(caller);
      return this;
    }

    /**
     * Sets the caller.
     *
     * @param caller the caller
     * @return this builder
     */
    public Builder caller(Caller caller) {
      this.caller = Objects.requireNonNull(caller, "caller");
      return this;
    }

    /**
     * Sets the options.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(VolumeOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets whether to take the volume over from another instance.
     *
     * @param preempt true to force-detach it elsewhere
     * @return this builder
     */
    public Builder preempt(boolean preempt) {
      this.preempt = preempt;
      return this;
    }

    /**
     * Sets the longest the mount may wait.
     *
     * @param timeout the wait
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets whether to mount read-only, over the volume's default. Every caller of a mounted
     * volume uses it in one mode: a mount in the other mode is refused.
     *
     * @param readOnly true for a read-only mount, false for a read-write one
     * @return this builder
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Adds a mount option, such as {@code noatime}; it must be on the allow-list of
     * {@link MountOptions}. May be called several times.
     *
     * @param option the option
     * @return this builder
     */
    public Builder mountOption(String option) {
      mountOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     * @throws io.stowage.exception.InvalidArgumentException when a mount option is not on the
     *     allow-list, is given twice, or contradicts another or the read-only setting
     */
    public MountRequest build() {
      MountOptions mount = MountOptions.parse(mountOptions);
      if (readOnly != null) {
        mount = mount.withReadOnly(readOnly);
      }
      return new MountRequest(caller, options, Optional.ofNullable(preempt),
          Optional.ofNullable(timeout), mount);
    }
  }
}
