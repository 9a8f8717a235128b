package io.stowage.cli;

import io.stowage.ProgressListener;
import java.io.PrintWriter;

/**
 * Shows the long steps of a mount or unmount on standard error, one line each, when standard
 * error is a terminal (the launcher tells: {@code -Dstowage.stderrIsTerminal=true}).
 */
final class TerminalProgress implements ProgressListener {
  /** The system property the launcher sets when standard error is a terminal. */
  static final String TERMINAL_PROPERTY = "stowage.stderrIsTerminal";

  private final PrintWriter err;

  TerminalProgress(PrintWriter err) {
    this.err = err;
  }

  /** Whether this process's standard error is a terminal, as the launcher found. */
  static boolean stderrIsTerminal() {
    return Boolean.getBoolean(TERMINAL_PROPERTY);
  }

  @Override
  public void onStep(String volume, Step step) {
    err.println("stowage: " + volume + ": " + describe(step) + "...");
    err.flush();
  }

  static String describe(Step step) {
    return switch (step) {
      case CREATING -> "creating the volume";
      case ATTACHING -> "attaching";
      case WAITING_FOR_DEVICE -> "waiting for the device";
      case FORMATTING -> "creating a file system";
      case MOUNTING -> "mounting";
      case UNMOUNTING -> "unmounting";
      case DETACHING -> "detaching";
      case RESIZING -> "growing the volume";
      case GROWING_FILE_SYSTEM -> "growing the file system";
    };
  }
}
