package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs programs as argument lists, stdin from /dev/null, for the integration tests. */
final class Commands {
  private Commands() {}

  /** What a program did: its exit code, stdout and stderr. */
  record Result(int code, String out, String err) {
    /** Both streams, for assertion messages. */
    String output() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /**
   * Runs a program to its end, failing the test when it takes longer than the timeout.
   *
   * @param command the program and its arguments
   * @param environment variables added to this process's environment
   * @param timeout the longest it may run
   * @return what it did
   */
  static Result run(List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      fail("timed out after " + timeout + ": " + command + "\nstdout:\n" + out.join()
          + "\nstderr:\n" + err.join());
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
  }
}
