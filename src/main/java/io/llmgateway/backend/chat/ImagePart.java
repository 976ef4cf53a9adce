package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.ImageHeader;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code image_url} content part: an inline image, a data URL of png, jpeg, gif or webp within
 * Converse's limits. Never fetched. One reader counts the images of one request.
 */
public final class ImagePart {

    /**
     * Converse's limits on images (Bedrock API reference, "Message": up to 20 images, each at most
     * 3.75 MB and 8000 px wide and high; images only in user messages).
     */
    static final int MAX_IMAGES = 20;
    static final int MAX_IMAGE_BYTES = 3_932_160;
    static final int MAX_IMAGE_SIDE = 8000;

    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]*)((?:;[^;,]*)*),(.*)", Pattern.DOTALL);
    private static final List<String> IMAGE_TYPES = List.of("image/png", "image/jpeg", "image/jpg", "image/gif",
            "image/webp");

    private int images;

    /** @param at the part's path, for errors: {@code messages[0].content[1]} */
    public ChatRequest.Image read(Map<?, ?> part, String at) throws RequestError {
        Object imageUrl = part.get("image_url");
        String param = at + ".image_url";
        String url;
        if (imageUrl instanceof Map<?, ?> map) {
            url = requiredString(map, "url", param + ".url");
            param = param + ".url";
        } else if (imageUrl instanceof String s) {
            url = s; // some clients send the URL itself
        } else {
            throw imageUrl == null ? new RequestError(OpenAiError.missingParameter(param))
                    : typeError(param, "an object", imageUrl);
        }
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            // The backend must not become a request forwarder into its own network.
            throw new RequestError(OpenAiError.unsupported(param, "This gateway does not fetch image URLs. "
                    + "Send the image inline as a data URL: data:image/png;base64,<the image's bytes in base64> "
                    + "(png, jpeg, gif or webp)."));
        }
        Matcher m = DATA_URL.matcher(url);
        if (!m.matches() || !m.group(2).toLowerCase(Locale.ROOT).contains(";base64")) {
            throw new RequestError(OpenAiError.invalidValue(param, "Invalid image data URL: expected "
                    + "data:image/<png|jpeg|gif|webp>;base64,<data>."));
        }
        String mediaType = m.group(1).toLowerCase(Locale.ROOT);
        if (!IMAGE_TYPES.contains(mediaType)) {
            throw new RequestError(OpenAiError.invalidValue(param, "Invalid image type "
                    + Text.quote(mediaType) + ". Supported types are: image/png, image/jpeg, image/gif and image/webp."));
        }
        if (++images > MAX_IMAGES) {
            throw new RequestError(OpenAiError.invalidValue(param, "Too many images: Bedrock takes at most "
                    + MAX_IMAGES + " per request."));
        }
        String data = m.group(3);
        if ((long) data.length() / 4 * 3 > MAX_IMAGE_BYTES + 3L) {
            throw tooLarge(param);
        }
        byte[] bytes;
        try {
            // Strict, but a data URL wrapped over lines is still one image.
            bytes = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new RequestError(OpenAiError.invalidValue(param, "The image data is not valid base64."));
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
            throw tooLarge(param);
        }
        Optional<ImageHeader> header = ImageHeader.read(bytes);
        if (header.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue(param, "The image data is not a png, jpeg, gif "
                    + "or webp image."));
        }
        ImageHeader h = header.get();
        if (h.width() < 1 || h.height() < 1 || h.width() > MAX_IMAGE_SIDE || h.height() > MAX_IMAGE_SIDE) {
            throw new RequestError(OpenAiError.invalidValue(param, "The image is " + h.width() + "x" + h.height()
                    + " pixels; Bedrock takes at most " + MAX_IMAGE_SIDE + " pixels a side."));
        }
        // The bytes decide the format: a data URL that calls a png a jpeg is common, and Bedrock checks.
        return new ChatRequest.Image(h.format(), bytes, h.width(), h.height());
    }

    private static RequestError tooLarge(String param) {
        return new RequestError(OpenAiError.invalidValue(param, "The image is larger than Bedrock's limit "
                + "of 3.75 MB (" + MAX_IMAGE_BYTES + " bytes)."));
    }
}
