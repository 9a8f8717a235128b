package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeSchedulerTest {
  @TempDir
  Path work;

  @Test
  void theLostAgentsVolumeFollowsItsTaskByPreemption() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, String> placement = new VolumeScheduler(
        new PrintStream(printed, true, StandardCharsets.UTF_8), work).run();

    assertEquals(Map.of("pgdata", "agent-3", "redis", "agent-2"), placement);
    String output = printed.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("refused  volume \"pgdata\" is in use by instance agent-1"), output);
    assertTrue(output.contains("preempted pgdata from agent-1: attached to agent-3"), output);
    assertTrue(output.contains("stopped  the task of redis on agent-2"), output);
    try (Stream<Path> left = Files.list(work.resolve("backend/volumes"))) {
      assertEquals(0, left.count(), "the scheduler removed its volumes");
    }
  }
}
