package org.p2pchat.server.ref;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a rate in bytes a second as people write it: {@code 2097152}, {@code 500KiB},
 * {@code 2MiB}, {@code 10MB}, {@code 1GiB/s}. KiB, MiB and GiB are powers of 1024; KB, MB and GB
 * powers of 1000; a bare number or {@code B} is bytes. Units are read in any case (every unit
 * is bytes, never bits); a trailing {@code /s} is allowed. {@code 0} is accepted (it turns the
 * relay off). Thread-safe.
 */
public final class RateConverter implements ITypeConverter<Long> {
  private static final Pattern RATE = Pattern.compile("(\\d{1,15})\\s*(|b|kb|kib|mb|mib|gb|gib)(/s)?");
  private static final long KIB = 1024;

  /** A converter. */
  public RateConverter() {}

  /**
   * Formats a rate the way {@link #convert} reads it back, in its largest whole binary unit:
   * {@code 2MiB}, {@code 500KiB}, {@code 1000} (bytes a second).
   */
  public static String format(long bytesPerSecond) {
    String[] units = {"GiB", "MiB", "KiB"};
    long[] sizes = {KIB * KIB * KIB, KIB * KIB, KIB};
    for (int i = 0; i < units.length; i++) {
      if (bytesPerSecond >= sizes[i] && bytesPerSecond % sizes[i] == 0) {
        return bytesPerSecond / sizes[i] + units[i];
      }
    }
    return Long.toString(bytesPerSecond);
  }

  /**
   * @throws TypeConversionException when {@code value} is not a rate, or one beyond
   *     {@link Long#MAX_VALUE} bytes a second
   */
  @Override
  public Long convert(String value) {
    Matcher m = RATE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("'" + value
          + "' is not a rate in bytes a second (write it like 2097152, 500KiB, 2MiB or 10MB; 0 is off)");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "kb" -> 1000L;
      case "kib" -> KIB;
      case "mb" -> 1000L * 1000;
      case "mib" -> KIB * KIB;
      case "gb" -> 1000L * 1000 * 1000;
      case "gib" -> KIB * KIB * KIB;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(n, unit);
    } catch (ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' is too large a rate");
    }
  }
}
