package io.stowage;

/**
 * Hears the long steps of mount, unmount and resize calls, for example to show progress on a
 * terminal while a volume attaches, formats or grows. Called on the thread that makes the call, before each
 * step; implementations must return quickly. What they throw is logged and ignored.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores every step. */
  ProgressListener NONE = (volume, step) -> { };

  /**
   * Called before a step starts.
   *
   * @param volume the volume's name
   * @param step the step about to run
   */
  void onStep(String volume, Step step);

  /** The long steps of a mount, unmount or resize. */
  enum Step {
    /** Creating the volume on the back end (implicit create). */
    CREATING,
    /** Asking the back end to attach the volume here (taking it over when preempting). */
    ATTACHING,
    /** Waiting for the attachment's block device to appear. */
    WAITING_FOR_DEVICE,
    /** Creating a file system on the device. */
    FORMATTING,
    /** Mounting the device. */
    MOUNTING,
    /** Unmounting the device (the last use was released). */
    UNMOUNTING,
    /** Asking the back end to detach the volume. */
    DETACHING,
    /** Asking the back end to grow the volume (a resize). */
    RESIZING,
    /** Waiting for the device's new size and growing the file system (a resize). */
    GROWING_FILE_SYSTEM
  }
}
