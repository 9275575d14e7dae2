"""Remote therapeutic monitoring: episodes, data days, management time, the codes reached."""
