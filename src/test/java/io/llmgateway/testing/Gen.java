package io.llmgateway.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * A generator of test inputs from a seeded {@link Random}, for properties checked on many random cases
 * that are the same on every run: a JUnit parameterized test over the fixed {@link #seeds()}, each of
 * which checks its share of the cases ({@link #forAll}). A failure names the seed, the case and the
 * value, and the same seed draws that case again. The numbers and texts mix in edge cases (0, the
 * extremes, empty text, control characters, lone surrogates) as property-testing libraries do.
 *
 * <pre>{@code
 * @ParameterizedTest(name = "seed {0}")
 * @MethodSource("io.llmgateway.testing.Gen#seeds")
 * void aWellFormedKeyIsAllowed(long seed) {
 *     Gen.forAll(seed, 200, Gen.strings(20, 128, Gen.chars('!', '~')), key -> ...);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Gen<T> {

    /** One value, drawing on {@code random} only. */
    T next(Random random);

    /**
     * The seeds of every property's test, each drawing its share of the property's cases; for
     * {@code @MethodSource("io.llmgateway.testing.Gen#seeds")}.
     */
    static LongStream seeds() {
        return LongStream.of(20261206L, 7L, 1L << 40, -3L, 424242L);
    }

    /**
     * Checks {@code property} on this seed's share of {@code tries} values of {@code gen}: over all
     * {@link #seeds()}, on {@code tries} values.
     *
     * @throws AssertionError for the first value the property fails on, naming the seed, the case and the value
     */
    static <T> void forAll(long seed, int tries, Gen<T> gen, ThrowingConsumer<? super T> property) {
        int seeds = (int) seeds().count();
        if (tries % seeds != 0) {
            throw new IllegalArgumentException(tries + " tries do not share out over " + seeds + " seeds");
        }
        Random random = new Random(seed);
        int cases = tries / seeds;
        for (int i = 0; i < cases; i++) {
            T value = gen.next(random);
            try {
                property.accept(value);
            } catch (Throwable failure) {
                throw new AssertionError("seed " + seed + ", case " + i + " of " + cases + ": " + describe(value), failure);
            }
        }
    }

    /** A value for a message: printable, at most 300 characters. */
    private static String describe(Object value) {
        String text = value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(300).forEach(c -> shown.append(c >= ' ' && c < 0x7f ? Character.toString(c)
                : String.format("\\u%04x", c)));
        return text.length() > 300 ? shown + "..." : shown.toString();
    }

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    /** Only values that pass {@code test}, drawing again until one does. */
    default Gen<T> filter(Predicate<? super T> test) {
        return random -> {
            for (int i = 0; i < 1000; i++) {
                T value = next(random);
                if (test.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter rejects nearly every value; generate what it wants instead");
        };
    }

    /** Lists of {@code min} to {@code max} values, the shortest more often than its share. */
    default Gen<List<T>> list(int min, int max) {
        return random -> {
            List<T> list = new ArrayList<>();
            for (int i = 0, size = size(random, min, max); i < size; i++) {
                list.add(next(random));
            }
            return list;
        };
    }

    // ---- choices -------------------------------------------------------------------------------

    /** One of {@code values}, each as likely; nulls allowed. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        List<T> list = new ArrayList<>();
        for (T value : values) {
            list.add(value);
        }
        return random -> list.get(random.nextInt(list.size()));
    }

    /** A value of one of {@code gens}, each as likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> list = new ArrayList<>();
        for (Gen<? extends T> gen : gens) {
            list.add(gen);
        }
        return random -> list.get(random.nextInt(list.size())).next(random);
    }

    /** A generator with its weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value of one of the generators, each chosen in proportion to its weight. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> list = new ArrayList<>();
        int sum = 0;
        for (Weighted<? extends T> choice : choices) {
            list.add(choice);
            sum += choice.weight();
        }
        int total = sum;
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : list) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("the weights add up to " + total);
        };
    }

    // ---- scalars -------------------------------------------------------------------------------

    static Gen<Boolean> booleans() {
        return Random::nextBoolean;
    }

    /** Any int, with 0, ±1 and the extremes one time in ten. */
    static Gen<Integer> ints() {
        Gen<Integer> edges = of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return random -> random.nextInt(10) == 0 ? edges.next(random) : random.nextInt();
    }

    /** Any long, with 0, ±1 and the extremes one time in ten. */
    static Gen<Long> longs() {
        Gen<Long> edges = of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
        return random -> random.nextInt(10) == 0 ? edges.next(random) : random.nextLong();
    }

    /** Any finite double, of any magnitude, with 0, -0, ±1 and the extremes one time in ten. */
    static Gen<Double> doubles() {
        Gen<Double> edges = of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE);
        return random -> {
            if (random.nextInt(10) == 0) {
                return edges.next(random);
            }
            double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 10);
            return random.nextInt(5) == 0 ? Math.rint(value) : value;
        };
    }

    // ---- text ----------------------------------------------------------------------------------

    /** Characters from {@code from} to {@code to}, inclusive. */
    static Gen<Character> chars(char from, char to) {
        return random -> (char) (from + random.nextInt(to - from + 1));
    }

    /** One of the characters of {@code chars}. */
    static Gen<Character> charsOf(String chars) {
        return random -> chars.charAt(random.nextInt(chars.length()));
    }

    /**
     * Any UTF-16 unit: mostly printable ASCII, and whitespace, control characters, Latin-1, the rest of
     * the Basic Multilingual Plane with lone surrogates, quotes and backslashes.
     */
    static Gen<Character> anyChar() {
        return frequency(weight(10, chars(' ', '~')), weight(2, charsOf("\t\n\r\u000b\f\u0000\u001b\u007f \u00a0\u2028")),
                weight(2, chars('\u0080', '\u00ff')), weight(3, chars('\u0000', '\uffff')),
                weight(1, charsOf("\"\\'{}[]<>&%\ud800\udc00\ufeff\uffff")));
    }

    /** Text of {@code min} to {@code max} {@link #anyChar() characters of any kind}. */
    static Gen<String> strings(int min, int max) {
        return strings(min, max, anyChar());
    }

    /** Text of {@code min} to {@code max} characters from {@code chars}. */
    static Gen<String> strings(int min, int max, Gen<Character> chars) {
        return chars.list(min, max).map(list -> {
            StringBuilder text = new StringBuilder(list.size());
            list.forEach(text::append);
            return text.toString();
        });
    }

    /** Up to {@code max} bytes of any value. */
    static Gen<byte[]> bytes(int max) {
        return random -> {
            byte[] bytes = new byte[size(random, 0, max)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** Maps of up to {@code max} entries (fewer when keys repeat), in the order drawn. */
    static <K, V> Gen<Map<K, V>> maps(Gen<? extends K> keys, Gen<? extends V> values, int max) {
        return random -> {
            Map<K, V> map = new LinkedHashMap<>();
            for (int i = 0, size = size(random, 0, max); i < size; i++) {
                map.put(keys.next(random), values.next(random));
            }
            return map;
        };
    }

    /** A size from {@code min} to {@code max}: {@code min} one time in eight, else uniform. */
    private static int size(Random random, int min, int max) {
        return random.nextInt(8) == 0 ? min : min + random.nextInt(max - min + 1);
    }
}
