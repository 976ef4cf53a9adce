package io.llmgateway.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS Region the stack deploys to, and where that was read.
 *
 * @param name   as given, e.g. {@code eu-west-1}; checked by the loader, not here
 * @param source where it came from, for messages: {@code aws:region}, or the environment variable the
 *               AWS provider falls back to ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION})
 */
public record StackRegion(String name, String source) {

    /**
     * The shape of every AWS Region code: an area ({@code us}, {@code ap}, {@code eusc}), an optional
     * partition marker ({@code gov}, {@code iso}, {@code isob}), a direction and a number, e.g.
     * {@code eu-west-1}, {@code us-gov-west-1}, {@code eusc-de-east-1} (AWS General Reference, "AWS
     * Regions"). A shape, not a list, so a Region newer than this code still passes; it catches the
     * typos the AWS provider would otherwise report only after the program ran: {@code us-east1},
     * {@code eu-west}, an Availability Zone such as {@code us-east-1a}.
     */
    private static final Pattern SHAPE = Pattern.compile("[a-z]{2,4}(-[a-z]+){1,3}-[0-9]{1,2}");

    public StackRegion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    boolean looksValid() {
        return SHAPE.matcher(name).matches();
    }
}
