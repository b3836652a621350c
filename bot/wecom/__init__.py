"""The WeCom (企业微信) channel: a self-built app's callback URL served by `negobot wecom`."""
