package io.stowage.cli.dvdcli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON messages of the plugin protocol, read into plain maps and lists and written
 * from them with Jackson's streaming parser and generator. dvdcli uses these rather than a data
 * binding mapper: a mapper's set-up (type factory, date formats and locale data) would cost more
 * than the whole call to the plugin. Thread-safe.
 */
final class Json {
  private final JsonFactory factory = new JsonFactory();

  /**
   * Reads one JSON value.
   *
   * @param text the JSON text
   * @return a {@code Map<String, Object>} (in document order), {@code List<Object>},
   *     {@code String}, {@code Number}, {@code Boolean}, or {@code null} for JSON null or empty
   *     text
   * @throws IOException when the text is not one JSON value
   */
  Object read(String text) throws IOException {
    try (JsonParser p = factory.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      Object value = value(p);
      if (p.nextToken() != null) {
        throw new IOException("trailing content after the JSON value");
      }
      return value;
    }
  }

  private static Object value(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          map.put(key, value(p));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected JSON token " + p.currentToken());
    }
  }

  /**
   * Writes an object whose values are strings or such objects.
   *
   * @param object the object, written in its iteration order
   * @return the JSON text
   */
  String write(Map<String, ?> object) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(out)) {
      write(g, object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Map<String, ?> object) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, ?> e : object.entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() instanceof Map<?, ?> nested) {
        Map<String, Object> copy = new LinkedHashMap<>();
        nested.forEach((k, v) -> copy.put(String.valueOf(k), v));
        write(g, copy);
      } else {
        g.writeString(String.valueOf(e.getValue()));
      }
    }
    g.writeEndObject();
  }

  /**
   * Returns a member of an object.
   *
   * @param value an object or anything else
   * @param key the member name
   * @return the member, or {@code null} when absent or when {@code value} is not an object
   */
  static Object member(Object value, String key) {
    return value instanceof Map<?, ?> map ? map.get(key) : null;
  }

  /**
   * Returns a string member of an object.
   *
   * @param value an object or anything else
   * @param key the member name
   * @return the string, or {@code ""} when absent or not a string
   */
  static String text(Object value, String key) {
    return member(value, key) instanceof String s ? s : "";
  }
}
