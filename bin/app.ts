// The CDK app: `npm run synth` / `cdk deploy`. Synthesizes offline; with CDK_DEFAULT_ACCOUNT and
// CDK_DEFAULT_REGION set (the CLI sets them from credentials), the stack is bound to them.
import { createCvdApp } from '../lib/cvd-stack.js';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const { app } = createCvdApp(account !== undefined && region !== undefined ? { env: { account, region } } : {});
app.synth();
