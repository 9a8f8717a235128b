package io.stowage.internal.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of the typed model: the keys that spell it, what its values must be, how a raw
 * value becomes a {@code T}, how a {@code T} is shown, and its default. Immutable.
 *
 * @param <T> the type of its values
 * @param key the canonical key in the {@code stowage:} tree
 * @param spellings every key that sets it, with its spelling rank ({@link Schema#STOWAGE} wins)
 * @param expected what a value must be, as a noun phrase: {@code true or false}
 * @param defaultValue the value when no source sets it
 * @param converter turns a raw scalar or list into a value
 * @param format shows a value as {@code config show} prints it
 */
record Setting<T>(String key, Map<String, Integer> spellings, String expected, T defaultValue,
    Converter<T> converter, Function<T, String> format) {

  /** Turns a raw value (scalar text or a list of text) into a typed value. */
  @FunctionalInterface
  interface Converter<T> {
    /**
     * Converts a raw value.
     *
     * @param raw scalar text or a list of text
     * @param schema the schema, for the installed drivers' names
     * @return the value
     * @throws Values.BadValue saying what the value must be, without repeating it
     */
    T convert(Object raw, Schema schema) throws Values.BadValue;
  }

  /** Turns scalar text into a typed value. */
  @FunctionalInterface
  interface Parser<T> {
    /**
     * Parses a scalar.
     *
     * @param text the text, stripped
     * @return the value
     * @throws Values.BadValue saying what the value must be, without repeating it
     */
    T parse(String text) throws Values.BadValue;
  }

  /** Validates the setting. */
  Setting {
    Objects.requireNonNull(key, "key");
    spellings = Map.copyOf(spellings);
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(converter, "converter");
    Objects.requireNonNull(format, "format");
  }

  /** Returns a converter that requires a scalar and parses it. */
  static <T> Converter<T> scalar(String expected, Parser<T> parser) {
    return (raw, schema) -> parser.parse(Values.scalar(raw, expected));
  }

  /**
   * Converts a raw value; a mapping or a nested list is refused here for every setting.
   *
   * @param raw the raw value
   * @param schema the schema
   * @return the value
   * @throws Values.BadValue saying what the value must be
   */
  T convert(Object raw, Schema schema) throws Values.BadValue {
    if (raw instanceof Values.Shape shape) {
      throw new Values.BadValue("must be " + expected + ", not " + shape);
    }
    return converter.convert(raw, schema);
  }

  /**
   * Shows a value.
   *
   * @param value the value
   * @return the text {@code config show} prints
   */
  String show(T value) {
    return format.apply(value);
  }
}
