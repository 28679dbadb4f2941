"""Wenming (文明创建管理平台): the campaign to be named a 文明单位, end to end."""
