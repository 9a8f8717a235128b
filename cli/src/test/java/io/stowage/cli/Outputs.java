package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * What no output of a command may show, whatever it was given: a Java stack trace, an
 * unexpected exception, or a secret; and what it logs, to look at.
 */
public final class Outputs {
  /**
   * What a stack trace, an escaped exception or a Java class name in a message looks like:
   * messages speak of the user's input, not of the code.
   */
  private static final List<String> TRACES = List.of("at io.stowage", "Exception in thread",
      "\tat ", "internal error", "java.", "Exception", "StackOverflowError",
      "OutOfMemoryError");

  private Outputs() {}

  /**
   * Asserts that an output shows no stack trace, no untyped exception and none of the secrets.
   *
   * @param what the command, for the failure message
   * @param output its standard output and standard error, or a reply
   * @param secrets the secrets it was given, which must never show, whole or in part
   */
  public static void assertClean(String what, String output, Collection<String> secrets) {
    for (String trace : TRACES) {
      assertFalse(output.contains(trace), () -> "a trace (" + trace + ") from " + what
          + ":\n" + output);
    }
    for (String secret : secrets) {
      // A secret with spaces or commas must not show whole nor in part.
      for (String part : secret.split("[ ,]")) {
        assertFalse(output.contains(part), () -> "a secret (" + part + ") from " + what + ":\n"
            + output);
      }
    }
  }

  /**
   * Runs an action and returns what was written meanwhile on the process's standard error,
   * where the commands log (tests run one at a time).
   *
   * @param action what to run
   * @return its log lines
   */
  public static String standardErrorOf(Runnable action) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream processErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(processErr);
    }
    return log.toString(StandardCharsets.UTF_8);
  }
}
