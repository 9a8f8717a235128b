package io.stowage.internal.os.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.CommandFailedException;
import io.stowage.spi.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final CommandRunner runner = new CommandRunner();

  @Test
  void capturesStdoutAndStderrOfASuccessfulCommand() {
    CommandResult result = runner.run(
        List.of("sh", "-c", "echo out; echo err >&2"), TIMEOUT);
    assertEquals(0, result.exitCode());
    assertEquals("out\n", result.stdout());
    assertEquals("err\n", result.stderr());
  }

  @Test
  void passesSpacesAndShellMetacharactersLiterally() {
    String literal = "a b;$(x) `y` ${HOME} \"q\" 'p' | & > * \\n";
    CommandResult result = runner.run(List.of("printf", "%s", literal), TIMEOUT);
    assertEquals(literal, result.stdout());
  }

  @Test
  void passesAnEmptyArgumentAsItsOwnArgument() {
    CommandResult result = runner.run(List.of("printf", "[%s]", "", "x"), TIMEOUT);
    assertEquals("[][x]", result.stdout());
  }

  @Test
  void reportsANonZeroExitWithArgvCodeAndStderrTail() {
    List<String> argv = List.of("sh", "-c", "echo first >&2; echo 'device busy' >&2; exit 3");
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> runner.run(argv, TIMEOUT));
    assertEquals(argv, e.argv());
    assertEquals(3, e.exitCode());
    assertTrue(e.stderrTail().endsWith("device busy"), e.stderrTail());
    assertTrue(e.getMessage().contains("device busy"), e.getMessage());
  }

  @Test
  void keepsOnlyTheTailOfLongStderrInTheFailure() {
    List<String> argv = List.of("sh", "-c",
        "i=0; while [ $i -lt 2000 ]; do echo \"line $i of noise\" >&2; i=$((i+1)); done;"
            + " echo last-line >&2; exit 1");
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> runner.run(argv, TIMEOUT));
    assertTrue(e.stderrTail().length() <= CommandRunner.ERROR_TAIL_BYTES, "tail is bounded");
    assertTrue(e.stderrTail().endsWith("last-line"), e.stderrTail());
    assertTrue(!e.stderrTail().contains("line 0 of noise"), "the head is dropped");
  }

  @Test
  void acceptsAnAllowedNonZeroExitCode() {
    CommandResult result = runner.run(List.of("sh", "-c", "exit 2"), TIMEOUT, Set.of(2));
    assertEquals(2, result.exitCode());
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> runner.run(List.of("sh", "-c", "exit 4"), TIMEOUT, Set.of(2)));
    assertEquals(4, e.exitCode());
  }

  @Test
  void killsACommandThatRunsPastItsTimeout() {
    long start = System.nanoTime();
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> runner.run(List.of("sleep", "30"), Duration.ofMillis(300)));
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals(-1, e.exitCode());
    assertEquals(List.of("sleep", "30"), e.argv());
    assertTrue(e.stderrTail().contains("timed out after 300 ms"), e.stderrTail());
    assertTrue(elapsedMillis < 5_000, "returned after " + elapsedMillis + " ms");
  }

  @Test
  void reportsACommandThatCannotStart() {
    List<String> argv = List.of("/nonexistent/stowage-no-such-binary", "x");
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> runner.run(argv, TIMEOUT));
    assertEquals(-1, e.exitCode());
    assertEquals(argv, e.argv());
    assertTrue(e.getCause() != null, "keeps the start failure as cause");
  }

  @Test
  void boundsCapturedOutputToTheTail() {
    CommandRunner small = new CommandRunner(1024);
    CommandResult result = small.run(List.of("sh", "-c",
        "head -c 100000 /dev/zero | tr '\\0' a; printf END"), TIMEOUT);
    assertEquals(1024, result.stdout().length());
    assertTrue(result.stdout().endsWith("aaaEND"), result.stdout());
  }

  @Test
  void runsWithTheCLocale() {
    CommandResult result = runner.run(List.of("sh", "-c", "printf %s \"$LC_ALL\""), TIMEOUT);
    assertEquals("C", result.stdout());
  }

  @Test
  void rejectsAnEmptyCommandOrANonPositiveTimeout() {
    assertThrows(IllegalArgumentException.class, () -> runner.run(List.of(), TIMEOUT));
    assertThrows(IllegalArgumentException.class,
        () -> runner.run(List.of("true"), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new CommandRunner(0));
  }
}
