console.log("natter test ui");
