package io.llmgateway.infra;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.aws.outputs.GetPartitionResult;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Output;

/**
 * Where the stack is deployed, as the AWS provider reports it: the partition ({@code aws},
 * {@code aws-cn}, {@code aws-us-gov}), its DNS suffix, the Region and the account. ARNs and URLs are
 * built from these rather than from literals, so the stack works in every partition.
 */
public record AwsEnvironment(Output<String> partition, Output<String> dnsSuffix, Output<String> region,
                             Output<String> accountId) {

    /** Asks the provider once (three invokes); pass the result to every component. */
    public static AwsEnvironment current() {
        Output<GetPartitionResult> partition = AwsFunctions.getPartition();
        Output<GetRegionResult> region = AwsFunctions.getRegion();
        Output<GetCallerIdentityResult> identity = AwsFunctions.getCallerIdentity();
        return new AwsEnvironment(
                partition.applyValue(GetPartitionResult::partition),
                partition.applyValue(GetPartitionResult::dnsSuffix),
                region.applyValue(GetRegionResult::name),
                identity.applyValue(GetCallerIdentityResult::accountId));
    }
}
