package io.stowage.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Regions of source files marked {@code // tag::name[]} and {@code // end::name[]}, as the
 * pages show them: without the marker lines of other regions inside, and without the
 * indentation the lines share.
 */
final class SourceRegions {
  private final Path repository;

  SourceRegions(Path repository) {
    this.repository = repository;
  }

  /**
   * Returns a whole file, or one tagged region of it.
   *
   * @param path the file, relative to the repository
   * @param tag the region's name, or null for the whole file
   */
  String read(String path, String tag) {
    Path file = repository.resolve(path).normalize();
    if (!file.startsWith(repository) || !Files.isRegularFile(file)) {
      throw new SiteException("no source file " + path);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tag == null ? text : region(path, text, tag);
  }

  private static String region(String path, String text, String tag) {
    List<String> lines = text.lines().toList();
    int start = indexOf(lines, "tag::" + tag + "[]", 0);
    int end = start < 0 ? -1 : indexOf(lines, "end::" + tag + "[]", start + 1);
    if (start < 0 || end < 0) {
      throw new SiteException(path + " has no region tag::" + tag + "[] ... end::" + tag + "[]");
    }
    List<String> body = new ArrayList<>();
    for (String line : lines.subList(start + 1, end)) {
      if (!line.matches("\\s*// (tag|end)::[\\w-]+\\[\\]\\s*")) {
        body.add(line);
      }
    }
    int indent = body.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : body) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }

  private static int indexOf(List<String> lines, String marker, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// " + marker)) {
        return i;
      }
    }
    return -1;
  }
}
