package io.stowage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Writes results as aligned tables for people or as JSON for programs. Not thread-safe. */
final class Printer {
  /** The output formats. */
  enum Format {
    table,
    json
  }

  private final PrintWriter out;
  private final Format format;
  /**
   * Built at first use: an ObjectMapper costs tens of milliseconds of start-up, which commands
   * printing only a table or a line need not pay.
   */
  private ObjectMapper json;

  Printer(PrintWriter out, Format format) {
    this.out = out;
    this.format = format;
  }

  ObjectMapper mapper() {
    if (json == null) {
      json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
    return json;
  }

  boolean isJson() {
    return format == Format.json;
  }

  /** Prints a JSON value, whatever the format (for commands whose result is JSON). */
  void json(JsonNode node) {
    try {
      out.println(mapper().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
    out.flush();
  }

  /** Prints a plain line. */
  void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Prints rows under a header, columns padded to their widest cell. */
  void table(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        sb.append(cell);
        if (i < row.size() - 1) {
          sb.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    out.flush();
  }
}
