package io.stowage.cli;

import io.stowage.spi.DriverConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets of a command line in a message that repeats its arguments, as the parsers'
 * usage errors do ("Unknown options: '--opt', 'encryptionkey=...'"). A secret is the value of a
 * {@code key=value} whose key is named like a secret (as a driver's settings are, see
 * {@link DriverConfig#looksSecret}) or is the volume option {@code encryptionkey}; it shows as
 * {@code ****}. Stateless.
 */
public final class SecretArguments {
  private static final String MASK = "****";
  /** A run of characters that can be part of one argument as the parsers quote it. */
  private static final Pattern WORD = Pattern.compile("[^\\s'\",\\[\\]]+");

  private SecretArguments() {}

  /**
   * Returns the message with its secrets masked: every argument that holds a secret, from the
   * secret to the argument's end (so that a value with spaces or commas is masked whole), then
   * every secret {@code key=value} word of the message.
   *
   * @param message a message that may repeat arguments
   * @param args the command line the message is about
   * @return the message, secrets masked
   */
  public static String mask(String message, List<String> args) {
    String out = message;
    List<String> longestFirst = args.stream()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String arg : longestFirst) {
      String masked = maskFromSecret(arg);
      if (!masked.equals(arg)) {
        out = out.replace(arg, masked);
      }
    }
    Matcher m = WORD.matcher(out);
    StringBuilder words = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(words, Matcher.quoteReplacement(maskFromSecret(m.group())));
    }
    m.appendTail(words);
    return words.toString();
  }

  /**
   * In {@code a=b,key=c=d}, masks everything after the first '=' that follows a secret key; a
   * key is what precedes that '=' back to the last '.', ',' or '=', leading dashes left out.
   */
  private static String maskFromSecret(String text) {
    int from = 0;
    for (int eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
      String key = text.substring(from, eq);
      int start = Math.max(key.lastIndexOf('.'), key.lastIndexOf(',')) + 1;
      String last = key.substring(start).replaceFirst("^-+", "");
      if (!last.isEmpty() && (DriverConfig.looksSecret(last)
          || last.toLowerCase(Locale.ROOT).equals("encryptionkey"))) {
        return text.substring(0, eq + 1) + MASK;
      }
      from = eq + 1;
    }
    return text;
  }
}
