package io.llmgateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BedrockModelId.Geography;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockModelIdTest {

    @Test
    void aProfileIdHasTheGeographyOfItsPrefix_aModelIdHasNone() {
        assertThat(new BedrockModelId("us.anthropic.claude-3-5-haiku-20241022-v1:0").geography()).contains(Geography.US);
        assertThat(new BedrockModelId("us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0").geography())
                .contains(Geography.US_GOV);
        assertThat(new BedrockModelId("global.anthropic.claude-sonnet-4-20250514-v1:0").geography())
                .contains(Geography.GLOBAL);
        assertThat(new BedrockModelId("amazon.nova-micro-v1:0").geography()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "US, us-east-1, true", "US, us-west-2, true", "US, us-gov-west-1, false", "US, eu-west-1, false",
            "US_GOV, us-gov-east-1, true", "US_GOV, us-east-1, false",
            "EU, eu-west-1, true", "EU, eu-central-2, true", "EU, us-east-1, false", "EU, eusc-de-east-1, false",
            "EU, eu-isoe-west-1, false",
            "APAC, ap-south-1, true", "APAC, ap-northeast-1, true", "APAC, ca-central-1, false",
            "JP, ap-northeast-1, true", "JP, ap-northeast-3, true", "JP, ap-northeast-2, false",
            "AU, ap-southeast-2, true", "AU, ap-southeast-4, true", "AU, ap-southeast-1, false",
            "CA, ca-central-1, true", "CA, us-east-1, false",
            "GLOBAL, us-east-1, true", "GLOBAL, sa-east-1, true", "GLOBAL, me-central-1, true",
            "GLOBAL, us-gov-west-1, false", "GLOBAL, cn-north-1, false", "GLOBAL, us-iso-east-1, false",
            "GLOBAL, eusc-de-east-1, false"})
    void aGeographyServesTheSourceRegionsOfItsPartitionAndArea(Geography geography, String region, boolean serves) {
        assertThat(geography.servesFrom(region)).isEqualTo(serves);
    }

    @Test
    void theGeographiesServingARegionEndWithGlobal_andGovCloudIsServedOnlyByUsGov() {
        assertThat(Geography.servingFrom("eu-west-1")).containsExactly(Geography.EU, Geography.GLOBAL);
        assertThat(Geography.servingFrom("ap-northeast-1")).containsExactly(Geography.APAC, Geography.JP, Geography.GLOBAL);
        assertThat(Geography.servingFrom("sa-east-1")).containsExactly(Geography.GLOBAL);
        assertThat(Geography.servingFrom("us-gov-west-1")).containsExactly(Geography.US_GOV);
        assertThat(Geography.servingFrom("cn-north-1")).isEmpty();
    }

    @Test
    void everyGeographysExampleRegionIsOneItServes() {
        for (Geography geography : Geography.values()) {
            assertThat(geography.servesFrom(geography.exampleRegion())).as(geography.name()).isTrue();
        }
    }
}
